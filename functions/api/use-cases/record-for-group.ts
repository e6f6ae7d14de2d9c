import type { z } from '@hono/zod-openapi';
import { CaseNotFoundError } from '../../../domain/errors.ts';
import { CaseNotInGroupError } from '../api-error.ts';
import type { ApiDependencies } from '../app-env.ts';
import { mapInBatches } from '../in-batches.ts';
import { problemFor } from '../problems.ts';
import type { groupAppendBody } from '../request-schemas.ts';
import type { groupAppendResultSchema } from '../response-schemas.ts';
import { appendEvents } from './record-events.ts';

/** How many cases are appended to at once: enough to overlap round trips, few enough not to throttle. */
const APPEND_CONCURRENCY = 4;

export interface GroupAppendRequest {
  readonly groupId: string;
  readonly body: z.output<typeof groupAppendBody>;
  readonly idempotencyKey: string;
  readonly recordedBy: string;
}

type GroupAppendResult = z.output<typeof groupAppendResultSchema>;
type CaseResult = GroupAppendResult['results'][number];

/** Throws unless the case exists and was opened in the group; a case's group never changes after its opening. */
async function assertInGroup(deps: Pick<ApiDependencies, 'ledger'>, caseId: string, groupId: string) {
  const [opened] = await deps.ledger.readRange(caseId, 1, 1);
  if (opened === undefined) throw new CaseNotFoundError(caseId);
  const openedIn = opened.type === 'CaseOpened' ? opened.data.groupId : undefined;
  if (openedIn !== groupId) throw new CaseNotInGroupError(caseId, groupId);
}

async function recordForCase(
  deps: Pick<ApiDependencies, 'ledger' | 'newId'>,
  request: GroupAppendRequest,
  caseId: string,
): Promise<CaseResult> {
  try {
    await assertInGroup(deps, caseId, request.groupId);
    // The same use case as a single append: the same rules, sealing and projection. The scope gives each
    // case its own ids from the one key, and keeps them apart from those of a single append with that key.
    const result = await appendEvents(deps, {
      caseId,
      body: { events: request.body.events },
      idempotencyKey: request.idempotencyKey,
      ifMatch: undefined,
      recordedBy: request.recordedBy,
      scope: `group-append\u0000${caseId}`,
    });
    return {
      caseId,
      outcome: result.replayed ? 'replayed' : 'recorded',
      version: result.version,
      eventIds: result.events.map((event) => event.eventId),
    };
  } catch (error) {
    const { code, body, unexpected } = problemFor(error, { write: true });
    // A refusal is this case's; a failure of the store or of the ledger is the request's, answered as such:
    // a retry with the same key then replays what was recorded before it.
    if (unexpected || body.status >= 500) throw error;
    return { caseId, outcome: 'refused', problem: { code, ...body } };
  }
}

/**
 * Appends the same events to each of a group's cases, each case's append atomic on its own: one case's refusal
 * leaves the others to proceed. Idempotent by the key, so a retry of the whole request records nothing twice.
 */
export async function recordForGroup(
  deps: Pick<ApiDependencies, 'ledger' | 'newId'>,
  request: GroupAppendRequest,
): Promise<GroupAppendResult> {
  const results = await mapInBatches(request.body.caseIds, APPEND_CONCURRENCY, (caseId) =>
    recordForCase(deps, request, caseId),
  );
  return { groupId: request.groupId, results };
}
