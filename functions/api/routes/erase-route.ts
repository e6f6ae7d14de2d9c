import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { CaseErasedError, CaseNotFoundError, EventIdConflictError } from '../../../domain/errors.ts';
import { eventIdSchema, text } from '../../../domain/event-catalogue.ts';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { eventsFor } from '../auth/personal-data.ts';
import { shownEventSchema } from '../event-answer-schemas.ts';
import { problemResponses } from '../openapi-responses.ts';
import { caseIdParams } from '../request-schemas.ts';

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
      "Crypto-shredding (issue 6): the case's subject (name, birth year, occupation, notes) is stored only " +
      'sealed with its own key; this appends an `Erased` event and then destroys the key. Afterwards the subject ' +
      'reads `[erased]` everywhere, copies and backups of the ledger included; statuses, alerts, `verify` and ' +
      'proofs keep working, since hashes are over the sealed form. It cannot be undone. A retry with the same ' +
      '`eventId` finishes an erasure that was interrupted; erasing an erased case is a 409.',
    request: {
      params: caseIdParams,
      body: { content: { 'application/json': { schema: eraseBody } }, required: true },
    },
    responses: {
      200: { description: 'The case was erased', content: { 'application/json': { schema: eraseResult } } },
      ...problemResponses(400, 404, 409, 413, 415, 503),
    },
  }),
);

/**
 * The `Erased` event an earlier request recorded under `eventId`, if any: a retry finishes that erasure rather
 * than recording another. An id used by any other event is a conflict.
 */
async function recordedErasure(
  deps: ApiDependencies,
  caseId: string,
  eventId: string,
): Promise<StoredEvent | undefined> {
  const guard = (await deps.ledger.findGuards([eventId])).get(eventId);
  if (guard === undefined) return undefined;
  if (guard.caseId !== caseId || guard.type !== 'Erased') {
    throw new EventIdConflictError(eventId, 'names another event than an erasure of this case');
  }
  const [event] = await deps.ledger.readRange(caseId, guard.eventVersion, guard.eventVersion);
  if (!event)
    throw new Error(`event ${eventId} has a guard but no event at ${caseId} v${guard.eventVersion}`);
  return event;
}

/** Appends the `Erased` event of a case that still has its key. */
async function recordErasure(
  deps: ApiDependencies,
  request: { caseId: string; eventId: string; reason: string; by: string },
): Promise<StoredEvent> {
  if (!(await deps.subjects.hasKey(request.caseId))) throw new CaseErasedError(request.caseId);
  // The event first, then the key: a failure in between leaves a recorded erasure whose retry (same id)
  // destroys the key, never a destroyed key that the ledger does not account for.
  const result = await deps.ledger.append({
    caseId: request.caseId,
    events: [
      {
        eventId: request.eventId,
        type: 'Erased',
        occurredAt: deps.clock().toISOString(),
        sources: [{ title: 'Erasure through the ledger API' }],
        data: { reason: request.reason },
      },
    ],
    opening: false,
    recordedBy: request.by,
  });
  return result.events[0]!;
}

export function registerEraseRoute(app: OpenAPIHono<AppEnv>, deps: ApiDependencies) {
  app.openapi(eraseRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { reason, eventId = deps.newId() } = c.req.valid('json');
    if ((await deps.ledger.head(caseId)) === undefined) throw new CaseNotFoundError(caseId);
    const erased =
      (await recordedErasure(deps, caseId, eventId)) ??
      (await recordErasure(deps, { caseId, eventId, reason, by: c.get('principal').subject }));
    await deps.subjects.erase(caseId);
    const [event] = await eventsFor(c.get('principal'), [erased], deps.subjects);
    return c.json({ caseId, version: erased.version, event: event! }, 200);
  });
}
