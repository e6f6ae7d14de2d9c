import {
  CaseErasedError,
  CaseNotFoundError,
  EventIdConflictError,
  VersionConflictError,
} from '../../../domain/errors.ts';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import type { ApiDependencies } from '../app-env.ts';

type EraseDependencies = Pick<ApiDependencies, 'ledger' | 'subjects' | 'clock'>;

/** How often an erasure re-reads the case after losing a race for its next version to another append. */
const MAX_ATTEMPTS = 8;

/**
 * The answer to an erasure of a case whose stream already holds one: the key is destroyed again (it may have
 * survived an interrupted request, or come back with a restored table), then a retry of that very erasure (its
 * event id) gets the first result, whatever reason it gives, and any other erasure a 409.
 */
async function alreadyErased(
  deps: EraseDependencies,
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
export async function recordErasure(
  deps: EraseDependencies,
  request: { caseId: string; eventId: string; reason: string; by: string },
): Promise<{ event: StoredEvent; replayed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const head = await deps.ledger.head(request.caseId);
    if (head === undefined) throw new CaseNotFoundError(request.caseId);
    const recorded = await deps.ledger.erasureOf(request.caseId, head.version);
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
