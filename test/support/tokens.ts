import type { Role } from '../../functions/api/auth/principal.ts';
import type { AuthOptions } from '../../functions/config.ts';
import { mintToken } from '../../local/tokens.ts';

/** The secret every in-process test app checks tokens with. */
export const TEST_JWT_SECRET = 'test-only-secret-that-is-long-enough-0123456789';

export const testAuth: AuthOptions = {
  mode: 'jwt-secret',
  secret: TEST_JWT_SECRET,
  rolesClaim: 'cognito:groups',
};

/** A token for the test apps: `roles`, optionally the `pii` scope, as `subject`. */
export function testToken(
  roles: readonly Role[],
  options: { subject?: string; pii?: boolean; now?: Date } = {},
) {
  return mintToken({
    secret: TEST_JWT_SECRET,
    subject: options.subject ?? 'test-user',
    roles,
    ...(options.pii && { pii: true }),
    ...(options.now && { now: options.now }),
  });
}
