import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  CaseErasedError,
  CaseNotFoundError,
  EventIdConflictError,
  VersionConflictError,
} from '../../../domain/errors.ts';
import { eventIdSchema, text } from '../../../domain/event-catalogue.ts';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import { recordedErasure } from '../../personal-data/recorded-erasure.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { eventsFor } from '../auth/personal-data.ts';
import { shownEventSchema } from '../event-answer-schemas.ts';
import { answerHeaders, problemResponses } from '../openapi-responses.ts';
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
      ...problemResponses(400, 404, 409, 413, 415, 503),
    },
  }),
);

/** How often an erasure re-reads the case after losing a race for its next version to another append. */
const MAX_ATTEMPTS = 8;

/**
 * The answer to an erasure of a case whose stream already holds one: the key is destroyed again (it may have
 * survived an interrupted request, or come back with a restored table), then a retry of that very erasure (its
 * event id) gets the first result, whatever reason it gives, and any other erasure a 409.
 */
async function alreadyErased(
  deps: ApiDependencies,
  recorded: StoredEvent,
  request: { caseId: string; eventId: string },
): Promise<StoredEvent> {
  await deps.subjects.erase(request.caseId);
  if (recorded.eventId !== request.eventId) throw new CaseErasedError(request.caseId);
  return recorded;
}

/**
 * Records the case's one `Erased` event, or finds it. The append is conditional on the version whose stream
 * was just read without an `Erased` event, so two erasures can never both land: of two racing, the second
 * loses the version, reads again and finds the first.
 */
async function recordErasure(
  deps: ApiDependencies,
  request: { caseId: string; eventId: string; reason: string; by: string },
): Promise<{ event: StoredEvent; replayed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const head = await deps.ledger.head(request.caseId);
    if (head === undefined) throw new CaseNotFoundError(request.caseId);
    const recorded = await recordedErasure(deps.ledger, request.caseId, head.version);
    if (recorded) return { event: await alreadyErased(deps, recorded, request), replayed: true };
    const guard = (await deps.ledger.findGuards([request.eventId])).get(request.eventId);
    if (guard !== undefined) {
      // This very erasure, recorded by a racing retry since the stream was read: the next round finds it.
      const racingRetry = guard.caseId === request.caseId && guard.type === 'Erased';
      if (racingRetry && attempt < MAX_ATTEMPTS) continue;
      throw new EventIdConflictError(request.eventId, 'names another event than an erasure of this case');
    }
    if (!(await deps.subjects.hasKey(request.caseId))) throw new CaseErasedError(request.caseId);
    try {
      // The event first, then the key: a failure in between leaves a recorded erasure whose retry destroys
      // the key, never a destroyed key that the ledger does not account for.
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
        expected: head.version,
        recordedBy: request.by,
      });
      await deps.subjects.erase(request.caseId);
      return { event: result.events[0]!, replayed: false };
    } catch (error) {
      // Another append took the version (perhaps a racing retry of this very erasure, whose guard now holds
      // the id): read the case again.
      const lostRace = error instanceof VersionConflictError || error instanceof EventIdConflictError;
      if (!lostRace || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

export function registerEraseRoute(app: OpenAPIHono<AppEnv>, deps: ApiDependencies) {
  app.openapi(eraseRoute, async (c) => {
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
