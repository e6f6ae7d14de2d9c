/** The roles of the API (README, "Roles"); a caller may hold several. */
export const roles = ['viewer', 'recorder', 'auditor', 'admin'] as const;
export type Role = (typeof roles)[number];

/** The scope that shows personal data in clear. */
export const PII_SCOPE = 'pii';

/** Who is calling, as their verified token says. */
export interface Principal {
  /** The token's `sub`: what `recordedBy` records. */
  readonly subject: string;
  readonly roles: ReadonlySet<Role>;
  readonly scopes: ReadonlySet<string>;
}

/** Claims as verified tokens carry them: API Gateway passes arrays and numbers through, or strings. */
export type Claims = Record<string, unknown>;

/**
 * A list claim as identity providers write it: a JSON array, a space- or comma-separated string, or (as API
 * Gateway forwards Cognito's groups) a bracketed string like `[viewer recorder]`.
 */
function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((item) => item.length > 0);
}

/**
 * The principal of verified claims: the subject from `sub`, roles from `rolesClaim` (`cognito:groups` by
 * default; unknown role names are ignored), scopes from `scope` or `scp`. `undefined` when there is no subject,
 * so nothing is ever recorded as by nobody.
 */
export function principalFromClaims(claims: Claims, rolesClaim: string): Principal | undefined {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 256) return undefined;
  const known = new Set<string>(roles);
  return {
    subject,
    roles: new Set(listOf(claims[rolesClaim]).filter((role): role is Role => known.has(role))),
    scopes: new Set([...listOf(claims.scope), ...listOf(claims.scp)]),
  };
}

/** Whether the principal may see personal data in clear: the `pii` scope, or the `admin` role. */
export function seesPersonalData(principal: Principal): boolean {
  return principal.scopes.has(PII_SCOPE) || principal.roles.has('admin');
}
