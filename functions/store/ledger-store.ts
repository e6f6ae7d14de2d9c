import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { AppendSeals, type EventSealer } from './append-seals.ts';
import { EventIdGuards } from './event-id-guards.ts';
import { type AppendRequest, type AppendResult, appendEvents } from './ledger-append.ts';
import { importEvents } from './ledger-import.ts';
import type { EventIdGuard } from './ledger-items.ts';
import { type EventPage, LedgerReads, type StreamHead } from './ledger-reads.ts';
import { LedgerWrites } from './ledger-writes.ts';

export type { EventSealer } from './append-seals.ts';
export type { ExpectedVersion } from './expected-version.ts';
export { type AppendRequest, type AppendResult, LedgerBusyError } from './ledger-append.ts';
export { ImportChainError, ImportConflictError } from './ledger-import.ts';
export type { EventPage, StreamHead } from './ledger-reads.ts';

export interface LedgerStoreOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: () => Date;
  /** Seals the subject and the free texts of each event before it is chained and stored. */
  readonly subjects: EventSealer;
  /** How often an append that may take any version retries after losing a race for the next version. */
  readonly maxAttempts?: number;
}

/**
 * The append-only ledger on DynamoDB: one item per event, keyed by case and version, chained by
 * hashes. The application never updates or deletes an item; appends are conditional puts in one transaction.
 *
 * One entry to the ledger's parts, each its own module: appends and their retries (`ledger-append.ts`), the
 * event-id guards and replays (`event-id-guards.ts`), reads (`ledger-reads.ts`), the one write path
 * (`ledger-writes.ts`) and imports (`ledger-import.ts`).
 */
export class LedgerStore {
  readonly #tableName: string;
  readonly #reads: LedgerReads;
  readonly #writes: LedgerWrites;
  readonly #guards: EventIdGuards;
  readonly #append: Parameters<typeof appendEvents>[0];

  constructor(options: LedgerStoreOptions) {
    this.#tableName = options.tableName;
    this.#reads = new LedgerReads(options);
    this.#writes = new LedgerWrites(options);
    const seals = new AppendSeals(options.subjects, this.#reads);
    this.#guards = new EventIdGuards({
      ...options,
      readRange: (caseId, first, last) => this.#reads.readRange(caseId, first, last),
      existingSeal: (caseId) => seals.existing(caseId),
    });
    this.#append = {
      reads: this.#reads,
      writes: this.#writes,
      guards: this.#guards,
      seals,
      clock: options.clock,
      maxAttempts: options.maxAttempts ?? 8,
    };
  }

  get tableName(): string {
    return this.#tableName;
  }

  /** Reaches the table with one cheap read; throws when it cannot. */
  async ping(): Promise<void> {
    await this.head('#health');
  }

  /** Appends events to a case atomically and idempotently by `eventId`: see `appendEvents`. */
  append(request: AppendRequest): Promise<AppendResult> {
    return appendEvents(this.#append, request);
  }

  /** The guards of the given event ids that exist, read strongly consistent so a just-won race is seen. */
  findGuards(eventIds: readonly string[]): Promise<Map<string, EventIdGuard>> {
    return this.#guards.find(eventIds);
  }

  /** Writes events exported from a ledger after the case's head: see `importEvents`. */
  importEvents(
    caseId: string,
    events: readonly StoredEvent[],
  ): Promise<{ written: number; skipped: number }> {
    return importEvents({ reads: this.#reads, writes: this.#writes }, caseId, events);
  }

  head(caseId: string): Promise<StreamHead | undefined> {
    return this.#reads.head(caseId);
  }

  headAt(caseId: string, at: Date): Promise<StreamHead | undefined> {
    return this.#reads.headAt(caseId, at);
  }

  readPage(
    caseId: string,
    options: { afterVersion?: number; limit?: number; knownAt?: Date } = {},
  ): Promise<EventPage> {
    return this.#reads.readPage(caseId, options);
  }

  readStream(caseId: string, options: { knownAt?: Date } = {}): Promise<StoredEvent[]> {
    return this.#reads.readStream(caseId, options);
  }

  pages(caseId: string, options: { knownAt?: Date; pageSize?: number } = {}): AsyncGenerator<StoredEvent[]> {
    return this.#reads.pages(caseId, options);
  }

  eventAt(caseId: string, version: number): Promise<StoredEvent | undefined> {
    return this.#reads.eventAt(caseId, version);
  }

  readRange(caseId: string, first: number, last: number): Promise<StoredEvent[]> {
    return this.#reads.readRange(caseId, first, last);
  }

  /** The case's `Erased` event, if its stream (up to version `upTo`) holds one. */
  erasureOf(caseId: string, upTo?: number): Promise<StoredEvent | undefined> {
    return this.#reads.erasureOf(caseId, upTo);
  }

  caseIds(): AsyncGenerator<string> {
    return this.#reads.caseIds();
  }
}
