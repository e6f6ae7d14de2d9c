/**
 * Every key of the ledger table, declared once: the writers, the readers, the IAM `LeadingKeys` conditions of
 * the functions that may put only some items, and the tests all take their keys from here.
 *
 * Events are keyed by their case's stream and version. Everything else lives in partitions that start with `#`,
 * which no case id may, so nothing else can ever collide with a stream or be written by a grant for it.
 * Plain data and pure functions: the CDK stack imports this too.
 */
import { shardOf } from './shards.ts';
import type { ledgerTable } from './table-definitions.ts';

type LedgerIndex = (typeof ledgerTable.globalSecondaryIndexes)[number];

const EVENT_ID_GUARD_PREFIX = '#event-id#';
const TAMPER_PREFIX = '#tamper#';
const DIGESTS = '#digest';
const DIGEST_LEAVES_PREFIX = '#digest-leaves#';
const AUDIT_DAYS = '#audit-days';

/** A day `YYYY-MM-DD` as the number `YYYYMMDD` that sorts its marker; no day is numbered 0. */
const dayNumber = (day: string) => Number(day.replaceAll('-', ''));

/** What names a tamper signal: the change, and the stream record that showed it. */
export interface TamperSignalKey {
  readonly caseId: string;
  readonly version: number;
  readonly change: string;
}

export const ledgerKeys = {
  /** The partition of a case's events. */
  stream: (caseId: string) => caseId,
  /** The item that reserves an event id across the whole ledger. */
  eventIdGuard: (eventId: string) => ({ streamId: `${EVENT_ID_GUARD_PREFIX}${eventId}`, version: 0 }),
  /** Names the change and the stream record, so a redelivered record is kept once, a later change again. */
  tamperSignal: (signal: TamperSignalKey, sequenceNumber: string) => ({
    streamId: `${TAMPER_PREFIX}${signal.caseId}#${signal.version}#${signal.change}#${sequenceNumber}`,
    version: 0,
  }),
  /** The partition of the digests, numbered by their sequence. */
  digests: DIGESTS,
  digest: (sequence: number) => ({ streamId: DIGESTS, version: sequence }),
  /** The progress of the digest run under way, so the next invocation continues it; no digest is numbered 0. */
  digestRun: { streamId: DIGESTS, version: 0 },
  /** The leaves of a digest, under the id of the run that took them (or, on old digests, its number). */
  digestLeaves: (id: string | number) => `${DIGEST_LEAVES_PREFIX}${id}`,
  /** The partition of the audit-day markers, sorted by day. */
  auditDays: AUDIT_DAYS,
  auditDay: (day: string) => ({ streamId: AUDIT_DAYS, version: dayNumber(day) }),
  /** The item that says from which day on the markers are complete. */
  auditDaysSince: { streamId: AUDIT_DAYS, version: 0 },
  dayNumber,
} as const;

/**
 * The ledger's indexes: their names, and the keys an item carries to be in them. An index's partition key is a
 * bucket split into shards by case, so no busy bucket is one hot partition; readers fan out over the shards.
 */
export const ledgerIndexes = {
  /** The audit feed: a day bucket, ordered by recording time within it. */
  byRecordedAt: {
    indexName: 'byRecordedAt',
    partition: (day: string, shard: number) => `${day}#${shard}`,
    keysOf: (event: { streamId: string; version: number; recordedAt: string }) => ({
      auditPk: `${event.recordedAt.slice(0, 10)}#${shardOf(event.streamId)}`,
      auditSk: `${event.recordedAt}#${event.streamId}#${String(event.version).padStart(12, '0')}`,
    }),
  },
  /** Every case id, from the first event of each stream only: a sparse index. */
  byCase: {
    indexName: 'byCase',
    partition: (shard: number) => `cases#${shard}`,
    keysOf: (event: { streamId: string; version: number }) =>
      event.version === 1 ? { caseShard: `cases#${shardOf(event.streamId)}` } : {},
  },
  /** Tamper signals, by the shard of their case. */
  byTamper: {
    indexName: 'byTamper',
    partition: (shard: number) => `tamper#${shard}`,
    keysOf: (caseId: string) => ({ tamperShard: `tamper#${shardOf(caseId)}` }),
  },
} as const satisfies {
  readonly [Name in LedgerIndex['indexName']]: {
    readonly indexName: Name;
    readonly partition: (...args: never[]) => string;
    readonly keysOf: (item: never) => object;
  };
};

/**
 * The partitions a function that may put only some ledger items is limited to, as IAM `StringLike` patterns on
 * `dynamodb:LeadingKeys`. Derived from the keys above, so a grant cannot drift from what its writer writes.
 */
export const ledgerLeadingKeys = {
  tamperSignals: [`${TAMPER_PREFIX}*`],
  digests: [DIGESTS, `${DIGEST_LEAVES_PREFIX}*`],
} as const;
