import type { Context } from 'hono';
import { accepts } from 'hono/accepts';

const JSON_TYPE = 'application/json';

/**
 * Whether a request's Accept header prefers `alternative` (CSV, NDJSON) to JSON, by q-value as Hono parses
 * it. Each type takes the quality of its most specific range (`text/csv`, then `text/*`, then `*\/*`); JSON,
 * the API's own language, wins a tie and answers when the header names neither.
 */
export function prefersOverJson(c: Context, alternative: string): boolean {
  const chosen = accepts(c, {
    header: 'Accept',
    supports: [JSON_TYPE, alternative],
    default: JSON_TYPE,
    match: (given, { supports, default: fallback }) => {
      let best = fallback;
      let bestQuality = 0;
      for (const type of supports) {
        const quality = qualityOf(type, given);
        if (quality > bestQuality) [best, bestQuality] = [type, quality];
      }
      return best;
    },
  });
  return chosen === alternative;
}

/** One media range of an Accept header, as Hono parses it. */
interface MediaRange {
  readonly type: string;
  readonly q: number;
}

function qualityOf(type: string, given: readonly MediaRange[]): number {
  const main = type.split('/')[0];
  for (const range of [type, `${main}/*`, '*/*']) {
    const match = given.find((accept) => accept.type.toLowerCase() === range);
    if (match) return match.q;
  }
  return 0;
}
