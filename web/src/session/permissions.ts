import type { Role } from '../../../functions/api/auth/principal.ts';
import { KNOWN_AT_ROLES, ROUTE_ROLES, type RouteKey } from '../../../functions/api/auth/route-roles.ts';

/**
 * Whether roles may call a route, from the API's own table: a screen offers only what the API would allow,
 * so nobody fills in a form to be told 403.
 */
export function mayCall(held: readonly Role[], route: RouteKey): boolean {
  const needed: readonly Role[] = ROUTE_ROLES[route];
  return held.some((role) => needed.includes(role));
}

/** Whether roles may ask what the ledger knew at a past moment (`knownAt`). */
export function mayAskKnownAt(held: readonly Role[]): boolean {
  return held.some((role) => (KNOWN_AT_ROLES as readonly Role[]).includes(role));
}
