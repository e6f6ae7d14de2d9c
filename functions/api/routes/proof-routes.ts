import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { CaseNotFoundError } from '../../../domain/errors.ts';
import { verifyChain } from '../../../domain/hash-chain.ts';
import { proveInclusion } from '../../../domain/ledger-digest.ts';
import { DIGEST_SETTLE_MS } from '../../store/digest-store.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { problemResponses } from '../openapi-responses.ts';
import { NotFoundError } from '../problems.ts';
import {
  caseIdParams,
  digestQuery,
  digestSchema,
  proofQuery,
  proofSchema,
  verifySchema,
} from '../request-schemas.ts';

const verifyRoute = createRoute(
  guarded({
    method: 'get',
    path: '/cases/{caseId}/verify',
    operationId: 'verifyCase',
    summary: "Recompute the case's hash chain from the stored events",
    description:
      'Reads every stored event and checks that versions run 1, 2, 3 … without a gap, that each `prevHash` is ' +
      "the previous event's hash and that each hash is SHA-256 over the event's RFC 8785 canonical JSON. Any " +
      'changed field, deleted event or swapped pair shows as `ok: false` with the first version that does not hold.',
    request: { params: caseIdParams },
    responses: {
      200: { description: 'The verification', content: { 'application/json': { schema: verifySchema } } },
      ...problemResponses(400, 404, 503),
    },
  }),
);

const digestRoute = createRoute(
  guarded({
    method: 'get',
    path: '/ledger/digest',
    operationId: 'getLedgerDigest',
    summary:
      'A stored ledger digest: the Merkle root over every case head at a moment; the newest by default',
    request: { query: digestQuery },
    responses: {
      200: { description: 'The digest', content: { 'application/json': { schema: digestSchema } } },
      ...problemResponses(400, 404, 503),
    },
  }),
);

const takeDigestRoute = createRoute(
  guarded({
    method: 'post',
    path: '/ledger/digest',
    operationId: 'takeLedgerDigest',
    summary: 'Take a digest now and append it to the ledger (on AWS a schedule also takes one every day)',
    responses: {
      201: { description: 'The digest taken', content: { 'application/json': { schema: digestSchema } } },
      ...problemResponses(413, 503),
    },
  }),
);

const proofRoute = createRoute(
  guarded({
    method: 'get',
    path: '/cases/{caseId}/proof',
    operationId: 'getCaseProof',
    summary: "The inclusion proof of the case's head in a stored digest, and whether the ledger still agrees",
    request: { params: caseIdParams, query: proofQuery },
    responses: {
      200: { description: 'The proof', content: { 'application/json': { schema: proofSchema } } },
      ...problemResponses(400, 404, 503),
    },
  }),
);

export function registerProofRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDependencies) {
  app.openapi(verifyRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const events = await deps.ledger.readStream(caseId);
    if (events.length === 0) throw new CaseNotFoundError(caseId);
    return c.json(verifyChain(events), 200);
  });

  app.openapi(digestRoute, async (c) => {
    const { sequence } = c.req.valid('query');
    const digest = sequence === undefined ? await deps.digests.latest() : await deps.digests.get(sequence);
    if (!digest) {
      throw new NotFoundError(
        'digest',
        sequence === undefined ? 'No digest has been taken yet' : `No digest ${sequence}`,
      );
    }
    return c.json(digest, 200);
  });

  app.openapi(takeDigestRoute, async (c) => {
    const at = new Date(deps.clock().getTime() - DIGEST_SETTLE_MS);
    return c.json(await deps.digests.take({ at }), 201);
  });

  app.openapi(proofRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { digest: sequence } = c.req.valid('query');
    const digest = await deps.digests.get(sequence);
    if (!digest) throw new NotFoundError('digest', `No digest ${sequence}`);
    const proof = proveInclusion(await deps.digests.leaves(sequence), caseId);
    if (!proof) throw new NotFoundError('case-in-digest', `Case ${caseId} is not in digest ${sequence}`);
    // Today's history up to the proven version: it must still chain, and end in the hash the digest holds.
    const today = await deps.ledger.readRange(caseId, 1, proof.leaf.version);
    const chainHolds = verifyChain(today).ok && today.length === proof.leaf.version;
    const currentHash = today.find((event) => event.version === proof.leaf.version)?.hash ?? null;
    const matches = chainHolds && currentHash === proof.leaf.hash;
    return c.json({ digest, ...proof, current: { hash: currentHash, chainHolds, matches } }, 200);
  });
}
