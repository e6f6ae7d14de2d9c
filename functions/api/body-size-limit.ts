import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problemOf, problemResponse } from './problems.ts';

/**
 * Refuses a request body larger than `maxBytes` with a 413 problem, without reading a byte of a body whose
 * `content-length` already says it is too large.
 *
 * Why not hono's `bodyLimit` alone: it touches `c.req.raw.body` on every request, and on `@hono/node-server`
 * that ties the socket to a web stream that pulls a chunk and then waits for a reader. An early answer (a 413,
 * or a 401 before anything reads the body) then leaves a body the server cannot drain: it says
 * `connection: keep-alive` and resets the socket half a second later, and a pooled client's next request on
 * it fails. Left untouched, the body is read and discarded by the server after the answer, and the socket
 * stays usable. A body without a declared length (chunked) must be read to be measured; when it turns out too
 * large it has been read part-way and cannot be drained, so that answer says `connection: close`.
 */
export function bodySizeLimit(options: { maxBytes: number }): MiddlewareHandler {
  const tooLarge = (headers: Record<string, string> = {}) =>
    problemResponse(
      problemOf('http_413', `A request body may be at most ${options.maxBytes} bytes`),
      headers,
    );
  const measured = bodyLimit({ maxSize: options.maxBytes, onError: () => tooLarge({ connection: 'close' }) });
  return async (c, next) => {
    // No route reads the body of a GET or HEAD request, as before.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    // Only a plain length is trusted; anything else is measured as it is read.
    if (declared !== undefined && /^\d+$/.test(declared) && c.req.header('transfer-encoding') === undefined) {
      return Number(declared) > options.maxBytes ? tooLarge() : next();
    }
    return measured(c, next);
  };
}
