import { etag } from 'hono/etag';

/**
 * Answers a GET whose `If-None-Match` holds the answer's ETag with 304, by Hono's ETag middleware and its
 * matching (weak comparison, so `W/"3"` matches `"3"`; lists; `*`). Only answers that carry an ETag of their
 * own (the current view, identified by its version) can match: the digest below yields none, so a view as of
 * another moment is neither given an ETag nor answered with 304.
 */
export const conditionalGet = etag({ generateDigest: () => NO_DIGEST });

// The middleware gives an answer without an ETag none when the digest is empty; its type does not say so.
const NO_DIGEST = null as unknown as ArrayBuffer;
