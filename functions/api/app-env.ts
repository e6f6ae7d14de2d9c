import type { Logger } from '@aws-lambda-powertools/logger';
import type { AlertThresholds, TamperSignal } from '../../domain/alerts.ts';
import type { CaseView } from '../../domain/case-view.ts';
import type { Counters, DayCounters } from '../../domain/kept-counts.ts';
import type { DigestLeaf, LedgerDigest } from '../../domain/ledger-digest.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import type { LogReads } from '../log/log-reads.ts';
import type { DueCase } from '../store/alert-index-reads.ts';
import type { AuditPage, AuditRequest } from '../store/audit-feed.ts';
import type { TakeDigestOptions } from '../store/digest-store.ts';
import type { EventIdGuard } from '../store/ledger-items.ts';
import type { AppendRequest, AppendResult, EventPage, StreamHead } from '../store/ledger-store.ts';
import type { StoredView } from '../store/stored-view.ts';
import type { ListFilter, ListOrder, ListPage, ListRequest } from '../store/view-query-plan.ts';
import type { AlertIndexName, CountScope } from '../tables/view-keys.ts';
import type { Authenticator } from './auth/authenticators.ts';
import type { SubjectReader } from './auth/personal-data.ts';
import type { Principal } from './auth/principal.ts';
import type { CursorCodec } from './cursor.ts';
import type { NotificationDependencies } from './notifications/notification-access.ts';

/** The Hono environment of the API: what middleware puts on the context for handlers. */
export interface AppEnv {
  Variables: { principal: Principal };
}

/** What the API asks of the ledger: appends and reads of case streams, and its event-id guards. */
export interface LedgerAccess {
  ping(): Promise<void>;
  head(caseId: string): Promise<StreamHead | undefined>;
  append(request: AppendRequest): Promise<AppendResult>;
  findGuards(eventIds: readonly string[]): Promise<Map<string, EventIdGuard>>;
  readPage(
    caseId: string,
    options?: { afterVersion?: number; limit?: number; knownAt?: Date },
  ): Promise<EventPage>;
  readStream(caseId: string, options?: { knownAt?: Date }): Promise<StoredEvent[]>;
  pages(caseId: string, options?: { knownAt?: Date; pageSize?: number }): AsyncIterable<StoredEvent[]>;
  readRange(caseId: string, first: number, last: number): Promise<StoredEvent[]>;
  eventAt(caseId: string, version: number): Promise<StoredEvent | undefined>;
  erasureOf(caseId: string, upTo?: number): Promise<StoredEvent | undefined>;
}

/** What the API reads of the derived views; it never writes them (the projector does). */
export interface ViewReads {
  ping(): Promise<void>;
  get(caseId: string, options?: { timeline?: boolean }): Promise<StoredView | undefined>;
  list(request: ListRequest): Promise<ListPage>;
  pages(filter: ListFilter & { order?: ListOrder }): AsyncIterable<CaseView[]>;
  storedPages(filter: ListFilter & { order?: ListOrder }): AsyncIterable<StoredView[]>;
  /** Every group a stored view belongs to, sorted. */
  groupIds(): Promise<string[]>;
  /** Whether summaries may be read from the counts kept by day (every view keeps them). */
  countsReady(): Promise<boolean>;
  /** The kept counts of a scope as of a moment (epoch ms). */
  keptCounters(scope: CountScope, at: number): Promise<Counters>;
  /** Each day's kept changes of a scope's counts, up to a day. */
  keptDayCounters(scope: CountScope, to: string): Promise<DayCounters[]>;
  /** The cases of an alert index keyed before `before`, of one group or of all. */
  casesDue(index: AlertIndexName, before: string, groupId?: string): Promise<DueCase[]>;
}

/** The stored ledger digests, and taking one on request. */
export interface DigestAccess {
  latest(): Promise<LedgerDigest | undefined>;
  get(sequence: number): Promise<LedgerDigest | undefined>;
  leaves(sequence: number): Promise<DigestLeaf[]>;
  take(options: TakeDigestOptions): Promise<LedgerDigest>;
}

/** Every event recorded in a time range, across cases. */
export interface AuditReads {
  page(request: AuditRequest): Promise<AuditPage>;
}

/** The tamper signals the projector kept. */
export interface TamperReads {
  signals(): Promise<TamperSignal[]>;
}

/** The case keys as the API uses them: to open what it shows, and to erase a person. */
export interface SubjectKeys extends SubjectReader {
  hasKey(caseId: string): Promise<boolean>;
  erase(caseId: string): Promise<{ readonly existed: boolean }>;
}

/** What the API needs from outside: stores, the clock and an id generator, all passed in so tests pass theirs. */
export interface ApiDependencies {
  readonly ledger: LedgerAccess;
  readonly views: ViewReads;
  readonly digests: DigestAccess;
  readonly audit: AuditReads;
  readonly tamperLog: TamperReads;
  /** Seals, opens and erases the subjects of cases. */
  readonly subjects: SubjectKeys;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly cursors: CursorCodec;
  /** Finds who is calling: a shared-secret JWT locally, API Gateway's verified claims on AWS. */
  readonly authenticate: Authenticator;
  /** The thresholds `GET /alerts` uses unless a call overrides them. */
  readonly alertThresholds: AlertThresholds;
  readonly logger?: Pick<Logger, 'error' | 'warn' | 'info'>;
  /** Subscriptions and webhook endpoints; without them those routes answer 503 (a process that has no table). */
  readonly notifications?: NotificationDependencies;
  /** The transparency log's tiles, checkpoint and proofs; without it the `/log/` routes answer 503. */
  readonly log?: LogReads;
}
