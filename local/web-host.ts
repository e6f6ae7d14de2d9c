import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { problemOf, problemResponse } from '../functions/api/problems.ts';
import type { AppConfig } from '../web/src/app-config.ts';
import { describeError, type Logger } from './json-lines-logger.ts';
import { type LocalSignInOptions, localSignIn } from './local-sign-in.ts';

/**
 * What every answer under /app/ carries. The application loads nothing from elsewhere and talks only to its
 * own origin and, when an OpenID provider signs people in, to the provider's origins (`connectOrigins`: its
 * discovery document and token endpoint, which the browser fetches itself), so the policy says exactly that;
 * pages showing evidence about people are never framed, and their addresses (case ids) are never sent to
 * another site as a referrer.
 */
export function webSecurityHeaders(connectOrigins: readonly string[] = []): Record<string, string> {
  const connect = ["'self'", ...new Set(connectOrigins)].join(' ');
  return {
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** The headers with local sign-in: the application talks to its own origin only. */
export const WEB_SECURITY_HEADERS = webSecurityHeaders();

/** Vite names these files by their content's hash: a new build means new names, so they never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Anything else (index.html above all) is checked again each time, so a new build shows at once. */
const REVALIDATE = 'no-cache';

/** The configuration the application reads at start: the local runtime signs people in itself. */
export const LOCAL_APP_CONFIG: AppConfig = { signIn: { mode: 'local' } };

export interface LocalHostOptions {
  /** The API: every request the front app does not answer goes to it unchanged. */
  readonly api: (request: Request, env: unknown) => Response | Promise<Response>;
  /** The built application's folder (`web/dist`); `undefined` serves no application (`LEDGER_WEB=off`). */
  readonly webDist: string | undefined;
  /** Local sign-in; `undefined` when the runtime does not check tokens itself (so it has no secret to mint with). */
  readonly signIn: LocalSignInOptions | undefined;
  /** What `/app/config.json` says; `LOCAL_APP_CONFIG` (sign in here) by default. */
  readonly appConfig?: AppConfig;
  /** Origins beyond its own that the application fetches from: the OpenID provider's, in `AUTH_MODE=oidc`. */
  readonly connectOrigins?: readonly string[];
  /** Where a failure of the front app itself is logged (the API logs its own). */
  readonly logger?: Logger;
}

function securityHeaders(connectOrigins: readonly string[] | undefined): MiddlewareHandler {
  const headers = Object.entries(webSecurityHeaders(connectOrigins));
  return async (c, next) => {
    await next();
    for (const [name, value] of headers) c.res.headers.set(name, value);
  };
}

/**
 * The local runtime's HTTP front: the web application at /app/ (`/` leads there) and local sign-in, before
 * the API. The API app itself stays exactly what Lambda runs; on AWS the same paths are split between the
 * built files and the API in front of both.
 */
export function createLocalHost(options: LocalHostOptions): Hono {
  const host = new Hono();
  const { webDist } = options;
  // The API answers its own failures; this is for a file that could not be read, or a sign-in that failed.
  host.onError((error, c) => {
    options.logger?.({
      level: 'error',
      message: 'the local front app failed',
      path: c.req.path,
      error: describeError(error),
    });
    return problemResponse(problemOf('internal', 'The local runtime could not answer this request.'));
  });
  if (webDist !== undefined) {
    const headers = securityHeaders(options.connectOrigins);
    host.use('/app', headers);
    host.use('/app/*', headers);
    host.get('/', (c) => c.redirect('/app/', 302));
    host.get('/app', (c) => c.redirect('/app/', 302));
    host.get('/app/config.json', (c) =>
      c.json(options.appConfig ?? LOCAL_APP_CONFIG, 200, { 'cache-control': REVALIDATE }),
    );
    const files = (cacheControl: string) =>
      serveStatic({
        root: webDist,
        rewriteRequestPath: (path) => path.slice('/app'.length),
        onFound: (_path, c) => {
          c.header('cache-control', cacheControl);
        },
      });
    // The build's own records (its stamp) are no part of the application.
    host.get('/app/*', async (c, next) =>
      c.req.path.split('/').some((segment) => segment.startsWith('.'))
        ? problemResponse(problemOf('http_404', 'No such file.'))
        : next(),
    );
    host.get('/app/assets/*', files(IMMUTABLE));
    // A missing asset is a broken build or an old page, never a client-side route: no index.html for it.
    host.get('/app/assets/*', () => problemResponse(problemOf('http_404', 'No such file.')));
    host.get('/app/*', files(REVALIDATE));
    // Any other path is one of the application's own routes (/app/cases/…): its page is index.html.
    host.get(
      '/app/*',
      serveStatic({
        root: webDist,
        path: 'index.html',
        onFound: (_path, c) => {
          c.header('cache-control', REVALIDATE);
        },
      }),
    );
    host.get('/app/*', () =>
      problemResponse(problemOf('http_404', 'The web application is not built: restart the runtime.')),
    );
    host.all('/app/*', () =>
      problemResponse(problemOf('http_405', 'The web application is only read.'), { allow: 'GET, HEAD' }),
    );
    if (options.signIn) host.route('/', localSignIn(options.signIn));
  }
  host.all('*', (c) => options.api(c.req.raw, c.env));
  return host;
}
