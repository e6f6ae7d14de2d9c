import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './ledger-api.d.ts';

export type LedgerClient = ReturnType<typeof createClient<paths>>;

export interface LedgerClientOptions {
  /** The bearer token of the signed-in person, read at each request (it is renewed under the client). */
  readonly token: () => string | undefined;
  /**
   * Renews the token when the API says 401, once, before giving up: `true` when there is a new token, and the
   * request is then sent again with it. Without it (local sign-in) a 401 ends the session at once.
   */
  readonly renew?: () => Promise<boolean>;
  /** Called when the API says the token is no longer good: the screen sends the person back to sign in. */
  readonly onUnauthenticated: () => void;
  /** The API's origin; the page's own by default (the API and the application share one origin). */
  readonly baseUrl?: string;
}

/**
 * The one way screens reach the API: openapi-fetch over the types generated from the API's own OpenAPI
 * document, so a change of contract fails `npm run check` before it fails a person.
 *
 * @example
 * const api = createLedgerClient({ token: () => session?.token, onUnauthenticated: signOut });
 * const { data } = await api.GET('/cases', { params: { query: { limit: 50 } } });
 */
export function createLedgerClient(options: LedgerClientOptions): LedgerClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl ?? window.location.origin });
  // A request's body is read once by fetch: a copy is kept to send again after a renewal.
  const copies = new WeakMap<Request, Request>();
  const withToken = (request: Request) => {
    const token = options.token();
    if (token !== undefined) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  };
  const auth: Middleware = {
    onRequest({ request }) {
      withToken(request);
      if (options.renew) copies.set(request, request.clone());
      return request;
    },
    async onResponse({ request, response }) {
      if (response.status !== 401) return response;
      const copy = copies.get(request);
      if (options.renew && copy && (await options.renew())) {
        const again = await fetch(withToken(copy));
        if (again.status !== 401) return again;
      }
      options.onUnauthenticated();
      return response;
    },
  };
  client.use(auth);
  return client;
}
