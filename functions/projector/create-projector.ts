import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { TamperSignal } from '../../domain/alerts.ts';
import { foldCaseWithTimeline } from '../../domain/fold-case.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import type { TamperLog } from '../store/tamper-log.ts';
import type { ViewStore } from '../store/view-store.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';
import { continueProjection, type RefoldReason, refoldReasonOf } from './continue-projection.ts';

export interface ProjectorOptions {
  readonly ledger: LedgerStore;
  readonly views: ViewStore;
  /** Where tamper signals are kept: in the ledger table, so they outlive any rebuild of the views. */
  readonly tamperLog: TamperLog;
  /** The moment views are folded at, so an uncertain date that has begun but not ended shows as pending. */
  readonly clock: () => Date;
  readonly logger?: Pick<Logger, 'error' | 'info'>;
  /** Told how each case of a batch was projected: for benchmarks and tests that want to know, not to decide. */
  readonly onProjected?: (outcome: ProjectionOutcome) => void;
}

/**
 * How a case was projected: `continued` folded only the events after its stored view; `unchanged` found none;
 * `refolded` read and folded the whole stream, for the reason given.
 */
export type ProjectionOutcome =
  | { readonly caseId: string; readonly kind: 'continued' | 'unchanged'; readonly version: number }
  | {
      readonly caseId: string;
      readonly kind: 'refolded';
      readonly version: number;
      readonly reason: RefoldReason;
    };

/** The events of a case after `version`, in version order, a page at a time. */
async function eventsAfter(ledger: LedgerStore, caseId: string, version: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let afterVersion: number | undefined = version;
  while (afterVersion !== undefined) {
    const page = await ledger.readPage(caseId, { afterVersion, limit: 1000 });
    events.push(...page.events);
    afterVersion = page.continueAfter;
  }
  return events;
}

/** What a stream record is about, read from its keys and images. */
type RecordSubject =
  | { kind: 'event-inserted'; caseId: string; version: number }
  | { kind: 'event-changed'; caseId: string; version: number; eventName: 'MODIFY' | 'REMOVE' }
  | { kind: 'other' };

function subjectOf(record: DynamoDBRecord): RecordSubject {
  const data = record.dynamodb;
  const image = record.eventName === 'INSERT' ? data?.NewImage : data?.OldImage;
  const caseId = data?.Keys?.streamId?.S;
  const version = Number(data?.Keys?.version?.N);
  if (image?.itemKind?.S !== LEDGER_ITEM_KIND.event || caseId === undefined || !Number.isInteger(version)) {
    return { kind: 'other' };
  }
  if (record.eventName === 'INSERT') return { kind: 'event-inserted', caseId, version };
  return {
    kind: 'event-changed',
    caseId,
    version,
    eventName: record.eventName === 'MODIFY' ? 'MODIFY' : 'REMOVE',
  };
}

/**
 * The projector (docs/architecture.md): for each case touched by a batch of ledger stream records, reads the case's
 * events from the ledger — the source of truth, not the stream image — folds them and writes the view if it is
 * newer. Records of one case share one projection per batch; cases are projected in parallel, since views never
 * depend on each other. A failure fails only the records of its case, reported as batch item failures.
 *
 * Its cost does not grow with the stream: it reads the stored view and only the events after its version, and
 * when those all occurred after the view's last event it evolves the stored facts over them
 * (`continueProjection`). An event that lands in the past, a retraction, a pending date, or a record of an
 * event changed behind the application's back makes it read and fold the whole stream, as a rebuild does.
 * Either way the view written is the fold of the whole stream, and the version rule of the views table keeps
 * duplicated, late and replayed records from moving it backwards.
 */
export function createProjector(options: ProjectorOptions) {
  const refold = async (caseId: string, reason: RefoldReason): Promise<number> => {
    const events = await options.ledger.readStream(caseId);
    // The clock is read after the ledger, so the view is folded as of a moment after its events were recorded.
    const projectedAt = options.clock();
    const { view, timeline } = foldCaseWithTimeline(caseId, events, { asOf: projectedAt });
    await options.views.put({ view, timeline, projectedAt }, PROJECTION_REVISION);
    options.onProjected?.({ caseId, kind: 'refolded', version: view.version, reason });
    return view.version;
  };

  const projectCase = async (caseId: string, mustRefold: boolean): Promise<number> => {
    if (mustRefold) return refold(caseId, 'record-change');
    const stored = await options.views.get(caseId);
    const unusable = refoldReasonOf(stored);
    if (stored === undefined || unusable !== undefined) return refold(caseId, unusable ?? 'no-view');
    const fresh = await eventsAfter(options.ledger, caseId, stored.view.version);
    if (fresh.length === 0) {
      // A record the view already holds (a duplicate, a replay): with nothing pending, the stored view is the
      // fold of its events at any later moment too, so there is nothing to write.
      options.onProjected?.({ caseId, kind: 'unchanged', version: stored.view.version });
      return stored.view.version;
    }
    const continued = continueProjection(stored, fresh, options.clock());
    if (typeof continued === 'string') return refold(caseId, continued);
    await options.views.put(continued, PROJECTION_REVISION);
    options.onProjected?.({ caseId, kind: 'continued', version: continued.view.version });
    return continued.view.version;
  };

  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const projections = new Map<string, Promise<number>>();
    // An event item changed or removed outside the application may be one the stored view was folded from.
    const changed = new Set(
      event.Records.flatMap((record) => {
        const subject = subjectOf(record);
        return subject.kind === 'event-changed' ? [subject.caseId] : [];
      }),
    );

    const project = (caseId: string): Promise<number> => {
      let projection = projections.get(caseId);
      if (!projection) {
        projection = projectCase(caseId, changed.has(caseId));
        projections.set(caseId, projection);
      }
      return projection;
    };

    const handleRecord = async (record: DynamoDBRecord): Promise<void> => {
      const subject = subjectOf(record);
      if (subject.kind === 'other') return;
      if (subject.kind === 'event-changed') {
        // The application never modifies or removes an event: someone went around it. The signal is kept
        // before the case is projected again, so it survives whatever the re-projection makes of the case.
        const sequenceNumber = record.dynamodb?.SequenceNumber ?? 'unknown';
        const signal: TamperSignal = {
          caseId: subject.caseId,
          version: subject.version,
          change: subject.eventName === 'MODIFY' ? 'modified' : 'removed',
          detectedAt: options.clock().toISOString(),
        };
        // Said at error once, when the change is first seen; the same record read again is routine.
        if (await options.tamperLog.record(signal, sequenceNumber)) {
          options.logger?.error('ledger_tampered: a ledger event item was changed outside the application', {
            ...signal,
            sequenceNumber,
          });
        } else {
          options.logger?.info('ledger_tampered already recorded for this stream record', {
            caseId: signal.caseId,
            version: signal.version,
            change: signal.change,
            sequenceNumber,
          });
        }
      }
      const projected = await project(subject.caseId);
      if (subject.kind === 'event-inserted' && projected < subject.version) {
        // The ledger is read strongly consistent, so an inserted event that is not there was removed since:
        // retrying cannot bring it back. Its REMOVE record, further on in the stream, raises the tamper signal.
        options.logger?.error('an inserted ledger event is no longer in the ledger', {
          caseId: subject.caseId,
          version: subject.version,
          readUpTo: projected,
        });
      }
    };

    // A processor holds one batch's state, and the local poller may deliver several shards' batches at once.
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    return processPartialResponse(event, handleRecord, processor, { throwOnFullBatchFailure: false });
  };
}
