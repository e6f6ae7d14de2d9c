import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { TamperSignal } from '../../domain/alerts.ts';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import type { TamperLog } from '../store/tamper-log.ts';
import type { ViewStore } from '../store/view-store.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';

export interface ProjectorOptions {
  readonly ledger: LedgerStore;
  readonly views: ViewStore;
  /** Where tamper signals are kept: in the ledger table, so they outlive any rebuild of the views. */
  readonly tamperLog: TamperLog;
  /** The moment views are folded at, so an uncertain date that has begun but not ended shows as pending. */
  readonly clock: () => Date;
  readonly logger?: Pick<Logger, 'error' | 'info'>;
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
 * The projector (DESIGN §2): for each case touched by a batch of ledger stream records, reads the case's
 * events from the ledger — the source of truth, not the stream image — folds them and writes the view if it is
 * newer. Records of one case share one fold per batch; cases are projected in parallel, since views never
 * depend on each other. A failure fails only the records of its case, reported as batch item failures.
 */
export function createProjector(options: ProjectorOptions) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const projections = new Map<string, Promise<number>>();

    const project = (caseId: string): Promise<number> => {
      let projection = projections.get(caseId);
      if (!projection) {
        projection = (async () => {
          const events = await options.ledger.readStream(caseId);
          const projectedAt = options.clock();
          const view = foldCase(caseId, events, { asOf: projectedAt });
          await options.views.put({ view, timeline: caseTimeline(events), projectedAt }, PROJECTION_REVISION);
          return view.version;
        })();
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
        options.logger?.error('ledger_tampered: a ledger event item was changed outside the application', {
          ...signal,
          sequenceNumber,
        });
        await options.tamperLog.record(signal, sequenceNumber);
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
