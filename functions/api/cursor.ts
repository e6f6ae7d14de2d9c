import { z } from '@hono/zod-openapi';
import { ValidationError } from '../../domain/errors.ts';

/**
 * Opaque pagination cursors: what to continue after, and the query they belong to, so a cursor cannot be
 * replayed against another query. Base64url JSON, checked by a schema when it comes back.
 */
const cursorSchema = z.strictObject({
  q: z.string().max(512),
  after: z.union([z.string().max(256), z.int().nonnegative()]),
});

export function encodeCursor(query: string, after: string | number): string {
  return Buffer.from(JSON.stringify({ q: query, after }), 'utf8').toString('base64url');
}

/** The position a cursor continues after; a `ValidationError` (400) for anything not made by `encodeCursor`. */
export function decodeCursor(cursor: string, query: string): string | number {
  const invalid = new ValidationError([{ path: 'cursor', message: 'is not a cursor of this query' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.q !== query) throw invalid;
  return parsed.data.after;
}
