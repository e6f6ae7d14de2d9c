import type { CursorCodec } from './cursor.ts';

/** What a list query is and the parts of it that fix its results: a cursor is good for that query only. */
export type CursorQuery = readonly [name: string, ...parts: (string | null)[]];

/** Where a page starts and how the next one is asked for, for one query: the cursor binding of every list. */
export interface PageCursor {
  /** What the page continues after; `undefined` for the first page; a 400 for a cursor of another query. */
  resume(cursor: string | undefined): string | number | undefined;
  /** The `nextCursor` of an answer, when there is more after `continueAfter`. */
  next(continueAfter: string | number | undefined): { nextCursor?: string };
}

export function pageCursor(cursors: CursorCodec, query: CursorQuery): PageCursor {
  const key = JSON.stringify(query);
  return {
    resume: (cursor) => (cursor === undefined ? undefined : cursors.decode(cursor, key)),
    next: (continueAfter) =>
      continueAfter === undefined ? {} : { nextCursor: cursors.encode(key, continueAfter) },
  };
}
