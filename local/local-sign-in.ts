import { isIPv4 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { roles } from '../functions/api/auth/principal.ts';
import { bodySizeLimit } from '../functions/api/body-size-limit.ts';
import { issuesOf, problemOf, problemResponse, validationProblem } from '../functions/api/problems.ts';
import { mintToken } from './tokens.ts';

/** Where the web application signs in on this machine. Never part of the API: Lambda has no such route. */
export const SIGN_IN_PATH = '/local/sign-in';

/** Short-lived: a token left in a browser tab is good for an hour, and signing in again is one click. */
export const SIGN_IN_TOKEN_SECONDS = 60 * 60;

/** A name, a few roles and a flag: anything near this size is not a sign-in. */
const MAX_BODY_BYTES = 4096;

export const signInRequestSchema = z.strictObject({
  // Who is signing in: recorded as `recordedBy` on what they record, so no control characters in it.
  name: z
    .string()
    .trim()
    .min(1, 'say who you are')
    .max(80, 'at most 80 characters')
    .regex(/^[^\p{Cc}]*$/u, 'no control characters'),
  roles: z
    .array(z.enum(roles))
    .min(1, 'choose at least one role')
    .max(roles.length)
    .refine((chosen) => new Set(chosen).size === chosen.length, 'each role once'),
  pii: z.boolean(),
});

export type SignInRequest = z.output<typeof signInRequestSchema>;

export interface SignInAnswer {
  readonly token: string;
  /** When the token stops working, ISO 8601. */
  readonly expiresAt: string;
}

export interface LocalSignInOptions {
  /** The secret the API checks tokens with. */
  readonly secret: string;
  readonly rolesClaim: string;
  /**
   * The origins the runtime is reached at (`http://127.0.0.1:PORT`, `http://localhost:PORT`): a browser's
   * request from any other page is refused. Read per request, since the port is known only once it listens.
   */
  readonly ownOrigins: () => readonly string[];
  readonly clock?: () => Date;
}

/** A loopback peer: 127.0.0.0/8, `::1`, or 127.x written as an IPv4-mapped IPv6 address. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1';
}

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // Not a request that came over a socket of @hono/node-server: there is no peer to trust.
    return undefined;
  }
}

const forbidden = (detail: string) => problemResponse(problemOf('forbidden', detail));

/**
 * Why a browser may not have sent this request on a user's behalf from another site, or `undefined`. A web
 * page anywhere can make the browser POST to 127.0.0.1; the browser then says where the page is from. Both
 * headers are checked only when present, so `curl` on this machine still works; no browser omits both on a
 * cross-site POST.
 */
function crossSiteReason(c: Context, ownOrigins: readonly string[]): string | undefined {
  const origin = c.req.header('origin');
  if (origin !== undefined && !ownOrigins.includes(origin))
    return `Signing in is only for the ledger's own pages (${ownOrigins[0]}), not for ${origin}.`;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return `Signing in is only for the ledger's own pages, not for a ${site} request.`;
  return undefined;
}

/** `application/json`, with parameters or not: what a plain HTML form can never send. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * `POST /local/sign-in`: whoever uses this machine says who they are and which roles they take, and gets a
 * short-lived token the API accepts. The local runtime has no accounts: anyone who can run programs here can
 * already mint tokens, and this spares them the command line. So it answers only requests from this machine,
 * from the ledger's own pages, and only in the local runtime's front app.
 */
export function localSignIn(options: LocalSignInOptions): Hono {
  const app = new Hono();
  const clock = options.clock ?? (() => new Date());
  const guard: MiddlewareHandler = async (c, next) => {
    if (!isLoopback(peerAddress(c))) return forbidden('Signing in is only possible from this machine.');
    const crossSite = crossSiteReason(c, options.ownOrigins());
    if (crossSite !== undefined) return forbidden(crossSite);
    if (!isJson(c.req.header('content-type')))
      return problemResponse(problemOf('http_415', 'Send the sign-in as application/json.'));
    await next();
  };
  app.post(SIGN_IN_PATH, guard, bodySizeLimit({ maxBytes: MAX_BODY_BYTES }), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return problemResponse(problemOf('http_400', 'The body is not JSON.'));
    }
    const parsed = signInRequestSchema.safeParse(body);
    if (!parsed.success) return problemResponse(validationProblem(issuesOf(parsed.error), 'sign-in'));
    // Whole seconds, as the token's own `exp` is.
    const issuedAt = Math.floor(clock().getTime() / 1000) * 1000;
    const token = await mintToken({
      secret: options.secret,
      rolesClaim: options.rolesClaim,
      subject: parsed.data.name,
      roles: parsed.data.roles,
      pii: parsed.data.pii,
      ttlSeconds: SIGN_IN_TOKEN_SECONDS,
      now: new Date(issuedAt),
    });
    const answer: SignInAnswer = {
      token,
      expiresAt: new Date(issuedAt + SIGN_IN_TOKEN_SECONDS * 1000).toISOString(),
    };
    return c.json(answer, 200, { 'cache-control': 'no-store' });
  });
  app.all(SIGN_IN_PATH, () =>
    problemResponse(problemOf('http_405', 'Sign in with POST.'), { allow: 'POST' }),
  );
  return app;
}
