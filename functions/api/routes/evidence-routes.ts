import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDependencies } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { storedEventSchema } from '../event-answer-schemas.ts';
import { problemResponses } from '../openapi-responses.ts';
import { caseIdParams } from '../request-schemas.ts';
import { caseEvidence, EVIDENCE_FORMAT, EVIDENCE_MEDIA_TYPE } from '../use-cases/case-evidence.ts';
import { routeApp } from './route-app.ts';

const base64Hash = z.string().meta({ description: 'A SHA-256 hash, standard base64 with padding' });

const evidencePacketSchema = z
  .object({
    format: z.literal(EVIDENCE_FORMAT),
    caseId: z.string(),
    createdAt: z.string().meta({ description: 'When the packet was made (ISO 8601)' }),
    checkpoint: z.string().meta({
      description: "The log's newest checkpoint as published: a signed note with every cosignature",
    }),
    logKey: z.string().meta({ description: "The log's verifier key (signed-note type 0x01)" }),
    witnessKeys: z.array(z.string()).meta({
      description: 'The verifier key (type 0x04) of each witness whose cosignature the checkpoint carries',
    }),
    events: z
      .array(storedEventSchema)
      .meta({ description: "The case's events exactly as stored, in version order" }),
    proofs: z.array(z.object({ eventId: z.string(), index: z.int(), hashes: z.array(base64Hash) })).meta({
      description: "Each event's inclusion proof at the checkpoint's size, in the order of `events`",
    }),
    howToCheck: z.string().meta({ description: 'The checks, in plain words' }),
  })
  .meta({ id: 'EvidencePacket' });

const evidenceRoute = createRoute(
  guarded({
    method: 'get',
    path: '/cases/{caseId}/evidence',
    operationId: 'getCaseEvidence',
    summary: "The case's evidence packet: its events as stored, proved in the log's newest checkpoint",
    description:
      'One file that can be checked offline, long after the ledger is gone (docs/log.md): every stored event, ' +
      "an inclusion proof of each at the size of the log's newest checkpoint, that checkpoint with its " +
      "cosignatures, the log's and the witnesses' verifier keys, and how to check it. Personal data stays " +
      'sealed as stored. While an event of the case is not yet in the log the answer is 409: never a packet ' +
      'with holes. `npx ledger verify-evidence FILE` and the page /app/evidence check it.',
    request: { params: caseIdParams },
    responses: {
      200: {
        description: 'The evidence packet, as a file to save',
        headers: {
          'Content-Disposition': {
            description: 'attachment; filename="evidence-<caseId>-<size>.json"',
            schema: { type: 'string' },
          },
        },
        content: { [EVIDENCE_MEDIA_TYPE]: { schema: evidencePacketSchema } },
      },
      ...problemResponses(
        'validation_failed',
        'case_not_found',
        'evidence_not_ready',
        'unavailable',
        'store_unavailable',
      ),
    },
  }),
);

export function evidenceRoutes(deps: ApiDependencies) {
  return routeApp().openapi(evidenceRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { packet, size } = await caseEvidence(deps, caseId);
    // A file, not a page: the packet is saved and checked elsewhere, and its name says which case and tree.
    const response = new Response(`${JSON.stringify(packet, null, 2)}\n`, {
      status: 200,
      headers: {
        'content-type': `${EVIDENCE_MEDIA_TYPE}; charset=utf-8`,
        'content-disposition': `attachment; filename="evidence-${caseId}-${size}.json"`,
        'cache-control': 'no-store',
      },
    });
    // @hono/zod-openapi types a JSON media type's answer as c.json's; this one is sent whole as a file.
    return response as never;
  });
}
