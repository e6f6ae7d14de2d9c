import { createRoute } from '@hono/zod-openapi';
import type { ApiDependencies } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { problemResponses } from '../openapi-responses.ts';
import { caseIdParams, digestQuery, proofQuery } from '../request-schemas.ts';
import { digestSchema, proofSchema, verifySchema } from '../response-schemas.ts';
import { proveCase, storedDigest, takeDigest, verifyCase } from '../use-cases/prove-case.ts';
import { routeApp } from './route-app.ts';

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
      ...problemResponses('validation_failed', 'case_not_found', 'store_unavailable'),
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
      ...problemResponses('validation_failed', 'digest_not_found', 'store_unavailable'),
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
      ...problemResponses('http_413', 'store_unavailable'),
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
      ...problemResponses(
        'validation_failed',
        'digest_not_found',
        'case_in_digest_not_found',
        'store_unavailable',
      ),
    },
  }),
);

export function proofRoutes(deps: ApiDependencies) {
  return routeApp()
    .openapi(verifyRoute, async (c) => c.json(await verifyCase(deps, c.req.valid('param').caseId), 200))
    .openapi(digestRoute, async (c) => c.json(await storedDigest(deps, c.req.valid('query').sequence), 200))
    .openapi(takeDigestRoute, async (c) => c.json(await takeDigest(deps), 201))
    .openapi(proofRoute, async (c) => {
      const { caseId } = c.req.valid('param');
      return c.json(await proveCase(deps, caseId, c.req.valid('query').digest), 200);
    });
}
