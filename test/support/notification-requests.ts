import type { Role } from '../../functions/api/auth/principal.ts';
import type { Services } from '../../functions/services.ts';
import { testToken } from './tokens.ts';

/** JSON requests to a test app as someone with roles: `as(['viewer'], 'desk-1').post('/subscriptions', body)`. */
export function caller(services: Services) {
  return (roles: readonly Role[], subject = `user-${roles.join('-')}`) => {
    const send = async (method: string, path: string, body?: unknown) => {
      const token = await testToken(roles, { subject });
      return services.app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    };
    return {
      get: (path: string) => send('GET', path),
      post: (path: string, body?: unknown) => send('POST', path, body),
      delete: (path: string) => send('DELETE', path),
    };
  };
}
