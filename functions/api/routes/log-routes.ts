import { createRoute, z } from '@hono/zod-openapi';
import { ValidationError } from '../../../domain/errors.ts';
import { eventIdSchema } from '../../../domain/event-catalogue.ts';
import { parseTilePath, TILE_WIDTH } from '../../../domain/log/tile-paths.ts';
import { LogSizeNotFoundError } from '../../log/log-errors.ts';
import type { LogReads } from '../../log/log-reads.ts';
import { UnavailableError } from '../api-error.ts';
import type { ApiDependencies } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { problemResponses } from '../openapi-responses.ts';
import { routeApp } from './route-app.ts';

/** The longest tile path there is (`tile/63/x…/…/NNN.p/255` for a size below 2^53) has well under this. */
const MAX_TILE_PATH = 120;
const FULL_TILE_CACHE = 'public, max-age=31536000, immutable';
/** A partial tile is replaced by a wider one as the log grows: kept briefly, like the checkpoint. */
const PARTIAL_TILE_CACHE = 'public, max-age=10';
const CHECKPOINT_CACHE = 'no-cache';

/** A tree size in a query: a whole number written the one way (no sign, no leading zero, no exponent). */
const treeSize = (what: string) =>
  z
    .string()
    .max(16, `${what}: a whole number of at most 16 digits`)
    .regex(/^(0|[1-9][0-9]*)$/, `${what}: a whole number, written without sign, leading zeros or exponent`)
    .transform(Number)
    .pipe(z.number().int().max(Number.MAX_SAFE_INTEGER, `${what}: at most 2^53 - 1`));

const consistencyQuery = z
  .object({
    from: treeSize('from').meta({ description: 'The older tree size', example: '1000' }),
    to: treeSize('to').meta({
      description: 'The newer tree size, at most the newest checkpoint',
      example: '1042',
    }),
  })
  .refine((query) => query.from <= query.to, {
    message: 'from is above to: a consistency proof goes from an older size to a newer one',
    path: ['from'],
  });

const inclusionQuery = z.object({
  eventId: eventIdSchema,
  treeSize: treeSize('treeSize')
    .optional()
    .meta({ description: 'The tree to prove inclusion in; the newest checkpoint by default' }),
});

const base64Hash = z.string().meta({ description: 'A SHA-256 hash, standard base64 with padding' });

const checkpointRoute = createRoute({
  method: 'get',
  path: '/log/checkpoint',
  operationId: 'getLogCheckpoint',
  security: [],
  summary: "The transparency log's newest checkpoint, signed, with every witness's cosignature",
  description:
    'A C2SP signed note (tlog-checkpoint): the origin, the tree size and the root hash, then the signature ' +
    "lines: the log's first, then one per witness that cosigned (docs/log.md). Hashes only: no sign-in.",
  responses: {
    200: {
      description: 'The signed checkpoint',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...problemResponses('log_size_not_found', 'unavailable', 'store_unavailable'),
  },
});

const keyRoute = createRoute({
  method: 'get',
  path: '/log/key',
  operationId: 'getLogKeys',
  security: [],
  summary: "The log's verifier key, then its witnesses' verifier keys, one a line",
  responses: {
    200: {
      description: 'Verifier keys (C2SP signed-note)',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...problemResponses('unavailable', 'store_unavailable'),
  },
});

const consistencyRoute = createRoute({
  method: 'get',
  path: '/log/proof/consistency',
  operationId: 'getLogConsistencyProof',
  security: [],
  summary: 'The proof that the tree of size `to` extends the tree of size `from` unchanged',
  description: 'RFC 9162 §2.1.4; `from` = 0 or `from` = `to` has an empty proof.',
  request: { query: consistencyQuery },
  responses: {
    200: {
      description: 'The consistency proof',
      content: {
        'application/json': {
          schema: z
            .object({ from: z.int(), to: z.int(), hashes: z.array(base64Hash) })
            .meta({ id: 'LogConsistencyProof' }),
        },
      },
    },
    ...problemResponses('validation_failed', 'log_size_not_found', 'unavailable', 'store_unavailable'),
  },
});

const inclusionRoute = createRoute(
  guarded({
    method: 'get',
    path: '/log/proof/inclusion',
    operationId: 'getLogInclusionProof',
    summary: "The proof that an event's hash is a leaf of the log's tree",
    description:
      "RFC 9162 §2.1.3: from the leaf hash (SHA-256 of 0x00 and the event's 32-byte hash) at `index` to " +
      '`rootHash`, the root of the tree of `treeSize` leaves. For auditors: an event id is not public.',
    request: { query: inclusionQuery },
    responses: {
      200: {
        description: 'The inclusion proof',
        content: {
          'application/json': {
            schema: z
              .object({
                eventId: z.string(),
                index: z.int(),
                treeSize: z.int(),
                rootHash: base64Hash,
                hashes: z.array(base64Hash),
              })
              .meta({ id: 'LogInclusionProof' }),
          },
        },
      },
      ...problemResponses(
        'validation_failed',
        'log_size_not_found',
        'log_event_not_found',
        'unavailable',
        'store_unavailable',
      ),
    },
  }),
);

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * The transparency log under `/log/` (docs/log.md): the checkpoint, the keys, tiles and bundles, and proofs.
 * Only the inclusion proof needs a sign-in. Without a log (a process that has none) each answers 503.
 */
export function logRoutes(deps: ApiDependencies) {
  const log = (): LogReads => {
    if (deps.log === undefined) throw new UnavailableError(['the transparency log']);
    return deps.log;
  };
  return routeApp()
    .openapi(checkpointRoute, async (c) => {
      const note = await log().checkpoint();
      if (note === undefined) throw new LogSizeNotFoundError('The log has published no checkpoint yet');
      return c.text(note, 200, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': CHECKPOINT_CACHE,
      });
    })
    .openapi(keyRoute, async (c) =>
      c.text(await log().keys(), 200, { 'content-type': 'text/plain; charset=utf-8' }),
    )
    .openapi(consistencyRoute, async (c) => {
      const { from, to } = c.req.valid('query');
      const hashes = await log().consistency(from, to);
      return c.json({ from, to, hashes: hashes.map(base64) }, 200);
    })
    .openapi(inclusionRoute, async (c) => {
      const { eventId, treeSize } = c.req.valid('query');
      const proof = await log().inclusion(eventId, treeSize);
      return c.json(
        {
          eventId: proof.eventId,
          index: proof.index,
          treeSize: proof.treeSize,
          rootHash: base64(proof.rootHash),
          hashes: proof.hashes.map(base64),
        },
        200,
      );
    })
    .get('/log/tile/*', async (c) => {
      const path = c.req.path.slice('/log/'.length);
      const request = path.length <= MAX_TILE_PATH ? parseTilePath(path) : undefined;
      if (request === undefined) {
        throw new ValidationError([
          {
            path: 'path',
            message:
              'not a tile path of the log: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], as C2SP tlog-tiles lays them out',
          },
        ]);
      }
      const bytes = await log().tile(path);
      const width = request.kind === 'hashes' ? request.tile.width : request.width;
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'content-type': 'application/octet-stream',
        'cache-control': width === TILE_WIDTH ? FULL_TILE_CACHE : PARTIAL_TILE_CACHE,
      });
    });
}
