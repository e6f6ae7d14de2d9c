import { createRoute, z } from '@hono/zod-openapi';
import { eventIdSchema, text } from '../../../domain/event-catalogue.ts';
import type { ApiDependencies } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { eventsFor } from '../auth/personal-data.ts';
import { shownEventSchema } from '../event-answer-schemas.ts';
import { answerHeaders, problemResponses } from '../openapi-responses.ts';
import { caseIdParams } from '../request-schemas.ts';
import { recordErasure } from '../use-cases/erase-case.ts';
import { routeApp } from './route-app.ts';

const eraseBody = z
  .strictObject({
    reason: text(2000).meta({
      description: 'Why: a request of the person, a court order … (no personal data)',
    }),
    eventId: eventIdSchema
      .optional()
      .meta({ description: 'The id of the Erased event; send the same id to retry safely' }),
  })
  .meta({ id: 'EraseRequest' });

const eraseResult = z
  .object({ caseId: z.string(), version: z.int(), event: shownEventSchema })
  .meta({ id: 'EraseResult' });

const eraseRoute = createRoute(
  guarded({
    method: 'post',
    path: '/cases/{caseId}/erase',
    operationId: 'eraseCase',
    summary: "Erase the person of a case: destroy the case's key and record who did it and why",
    description:
      "Crypto-shredding: the case's subject (name, birth year, occupation, notes) and every free text of its " +
      'events are stored only sealed with its own key; this appends an `Erased` event and then destroys the key. ' +
      'Afterwards they read `[erased]` everywhere, copies and backups of the ledger included; statuses, alerts, ' +
      '`verify` and proofs keep working, since hashes are over the sealed form. It cannot be undone. A case is ' +
      'erased once: a retry with the same `eventId` (concurrent ones included) returns the first result with ' +
      '`idempotent-replayed: true` and finishes an erasure that was interrupted; any other erasure of the case ' +
      'is a 409.',
    request: {
      params: caseIdParams,
      body: { content: { 'application/json': { schema: eraseBody } }, required: true },
    },
    responses: {
      200: {
        description: 'The case was erased (or, replayed, had been by this very request)',
        headers: answerHeaders.replayed,
        content: { 'application/json': { schema: eraseResult } },
      },
      ...problemResponses(
        'validation_failed',
        'http_400',
        'case_not_found',
        'case_erased',
        'event_id_conflict',
        'http_413',
        'http_415',
        'ledger_busy',
        'store_unavailable',
      ),
    },
  }),
);

export function eraseRoutes(deps: ApiDependencies) {
  return routeApp().openapi(eraseRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { reason, eventId = deps.newId() } = c.req.valid('json');
    const { event: erased, replayed } = await recordErasure(deps, {
      caseId,
      eventId,
      reason,
      by: c.get('principal').subject,
    });
    const [event] = await eventsFor(c.get('principal'), [erased], deps.subjects);
    if (replayed) c.header('idempotent-replayed', 'true');
    return c.json({ caseId, version: erased.version, event: event! }, 200);
  });
}
