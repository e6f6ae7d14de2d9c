import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { ValidationError } from '../../domain/errors.ts';

/** How long a cursor stays good: long enough to page through any list, short enough that old links die. */
export const CURSOR_TTL_MS = 24 * 60 * 60 * 1000;

const payloadSchema = z.strictObject({
  q: z.string().max(1024),
  after: z.union([z.string().max(2048), z.int().nonnegative()]),
  iat: z.int().nonnegative(),
});

export interface CursorCodecOptions {
  /**
   * The HMAC key: from `LEDGER_CURSOR_SECRET`, or a function giving the current one (read from Secrets Manager
   * on AWS, where it may change); random per process when absent (cursors then die with it).
   */
  readonly secret?: string | (() => string);
  readonly clock: () => Date;
}

/**
 * Pagination cursors: what to continue after, the query they belong to and when they were issued, signed
 * with HMAC-SHA256. A cursor that was altered or made up, belongs to another query, or is older than
 * `CURSOR_TTL_MS` is refused with a 400 — never silently read as "start again".
 */
export class CursorCodec {
  readonly #key: () => Buffer;
  readonly #clock: () => Date;

  constructor(options: CursorCodecOptions) {
    const { secret } = options;
    if (typeof secret === 'function') {
      this.#key = () => Buffer.from(secret(), 'utf8');
    } else {
      const key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
      this.#key = () => key;
    }
    this.#clock = options.clock;
  }

  encode(query: string, after: string | number): string {
    const payload = Buffer.from(
      JSON.stringify({ q: query, after, iat: this.#clock().getTime() }),
      'utf8',
    ).toString('base64url');
    return `${payload}.${this.#sign(payload).toString('base64url')}`;
  }

  /** The position a cursor continues after; a `ValidationError` (400) for any cursor this codec did not make. */
  decode(cursor: string, query: string): string | number {
    const [payload, signature, ...rest] = cursor.split('.');
    const refuse = (message: string) => new ValidationError([{ path: 'cursor', message }]);
    if (payload === undefined || signature === undefined || rest.length > 0) {
      throw refuse('is not a cursor this ledger issued');
    }
    const expected = this.#sign(payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw refuse('is not a cursor this ledger issued');
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw refuse('is not a cursor this ledger issued');
    }
    const parsed = payloadSchema.safeParse(decoded);
    if (!parsed.success || parsed.data.q !== query) throw refuse('belongs to another query');
    if (this.#clock().getTime() - parsed.data.iat > CURSOR_TTL_MS) {
      throw refuse('has expired: list again from the first page');
    }
    return parsed.data.after;
  }

  #sign(payload: string): Buffer {
    return createHmac('sha256', this.#key()).update(payload).digest();
  }
}
