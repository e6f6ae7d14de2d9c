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
 * The claim named `name`: a top-level claim of that name if there is one (`cognito:groups`), else a dotted
 * path into nested claims, as Keycloak writes its roles (`realm_access.roles`).
 */
function claimAt(claims: Claims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const step of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, step))
      return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/**
 * How an identity provider grants the `pii` permission, when not as the ledger's own `pii` scope: a scope of
 * another name, or a group listed in the roles claim.
 */
export interface PiiGrant {
  readonly scope?: string;
  readonly group?: string;
}

/**
 * The principal of verified claims: the subject from `sub`, roles from `rolesClaim` (`cognito:groups` by
 * default, or a dotted path such as `realm_access.roles`; unknown role names are ignored), scopes from `scope`
 * or `scp`. With `pii`, the provider's way of granting it becomes the `pii` scope. `undefined` when there is no
 * subject, so nothing is ever recorded as by nobody.
 */
export function principalFromClaims(
  claims: Claims,
  rolesClaim: string,
  pii: PiiGrant = {},
): Principal | undefined {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 256) return undefined;
  const known = new Set<string>(roles);
  const groups = listOf(claimAt(claims, rolesClaim));
  const scopes = new Set([...listOf(claims.scope), ...listOf(claims.scp)]);
  const granted =
    (pii.scope !== undefined && scopes.has(pii.scope)) ||
    (pii.group !== undefined && groups.includes(pii.group));
  if (pii.scope !== undefined && pii.scope !== PII_SCOPE) scopes.delete(PII_SCOPE);
  if (granted) scopes.add(PII_SCOPE);
  return {
    subject,
    roles: new Set(groups.filter((role): role is Role => known.has(role))),
    scopes,
  };
}

/** Whether the principal may see personal data in clear: the `pii` scope, or the `admin` role. */
export function seesPersonalData(principal: Principal): boolean {
  return principal.scopes.has(PII_SCOPE) || principal.roles.has('admin');
}
