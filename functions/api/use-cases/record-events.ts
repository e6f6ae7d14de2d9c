import type { z } from '@hono/zod-openapi';
import type { NewEvent } from '../../../domain/event-catalogue.ts';
import type { AppendResult } from '../../store/ledger-store.ts';
import type { ApiDependencies } from '../app-env.ts';
import { assignEventIds, uuidFromName } from '../event-ids.ts';
import type { appendBody, openCaseBody } from '../request-schemas.ts';

export interface OpenCaseRequest {
  readonly body: z.output<typeof openCaseBody>;
  readonly idempotencyKey: string | undefined;
  readonly recordedBy: string;
}

/**
 * Opens a case with its `CaseOpened` event and any first events, in one append. The case id is the body's,
 * else derived from the idempotency key (so a retry opens the same case), else new.
 */
export async function openCase(
  deps: Pick<ApiDependencies, 'ledger' | 'clock' | 'newId'>,
  { body, idempotencyKey, recordedBy }: OpenCaseRequest,
): Promise<AppendResult> {
  const caseId = body.caseId ?? (idempotencyKey ? uuidFromName(`case\u0000${idempotencyKey}`) : deps.newId());
  const opened: NewEvent = {
    ...(body.eventId && { eventId: body.eventId }),
    type: 'CaseOpened',
    // An instant, not a day: a day-precise date would keep the opening pending until the day ends.
    occurredAt: body.occurredAt ?? deps.clock().toISOString(),
    sources: body.sources ?? [{ title: 'Case opened through the API' }],
    ...(body.note && { note: body.note }),
    data: {
      subject: body.subject,
      ...(body.groupId && { groupId: body.groupId }),
      ...(body.labels && { labels: body.labels }),
    },
  };
  const events = assignEventIds([opened, ...(body.events ?? [])], {
    scope: `open\u0000${caseId}`,
    ...(idempotencyKey && { idempotencyKey }),
    newId: deps.newId,
  });
  return deps.ledger.append({
    caseId,
    events,
    expected: 'no_stream',
    recordedBy,
    // A retry's own "now" is no change of content: it must be recognised as the same opening.
    ...(body.occurredAt === undefined && { occurredAtDefaulted: [events[0]!.eventId] }),
  });
}

export interface AppendEventsRequest {
  readonly caseId: string;
  readonly body: z.output<typeof appendBody>;
  readonly idempotencyKey: string | undefined;
  /** The `If-Match` header as sent (a quoted version), when the append is conditional. */
  readonly ifMatch: string | undefined;
  readonly recordedBy: string;
  /** What the idempotency key is scoped to; this case's single appends by default. */
  readonly scope?: string;
}

/** Appends events to an open case, all or nothing; at the version `If-Match` names, when it names one. */
export async function appendEvents(
  deps: Pick<ApiDependencies, 'ledger' | 'newId'>,
  { caseId, body, idempotencyKey, ifMatch, recordedBy, scope }: AppendEventsRequest,
): Promise<AppendResult> {
  const events = assignEventIds(body.events, {
    scope: scope ?? `append\u0000${caseId}`,
    ...(idempotencyKey && { idempotencyKey }),
    newId: deps.newId,
  });
  return deps.ledger.append({
    caseId,
    events,
    // The tag's version: a caller who sees the person holds "3-clear", which names version 3 too.
    expected: ifMatch ? Number.parseInt(ifMatch.slice(1), 10) : 'stream_exists',
    recordedBy,
  });
}
