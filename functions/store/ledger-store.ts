import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  checkAppend,
  type IdentifiedEvent,
  MAX_EVENTS_PER_APPEND,
  type RetractionTarget,
} from '../../domain/append-rules.ts';
import {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  DomainError,
  EventIdConflictError,
  VersionConflictError,
} from '../../domain/errors.ts';
import { carriesFreeTexts } from '../../domain/free-text-fields.ts';
import { GENESIS_HASH, hashEvent, sha256OfCanonical } from '../../domain/hash-chain.ts';
import type { SealedEvent, StoredEvent } from '../../domain/stored-event.ts';
import type { CaseSeal, UnsealedEvent } from '../personal-data/subject-vault.ts';
import { allShards } from '../tables/shards.ts';
import { AuditDays } from './audit-days.ts';
import { expectedFingerprint, fingerprintOf } from './event-fingerprints.ts';
import {
  type EventIdGuard,
  eventIdGuardKey,
  fromEventItem,
  fromGuardItem,
  toEventItem,
  toGuardItem,
} from './ledger-items.ts';
import { queryItems } from './query-items.ts';

export interface LedgerStoreOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: () => Date;
  /** Seals the subject and the free texts of each event before it is chained and stored. */
  readonly subjects: EventSealer;
  /** How often an append without an expected version retries after losing a race for the next version. */
  readonly maxAttempts?: number;
}

/**
 * What the ledger needs to keep personal data out of its items: the case's key, read once per batch, to seal
 * subjects and free texts and to key the idempotency fingerprints (a plain hash of a name can be confirmed by
 * guessing). `create` makes the key of a new case; without it, a case without a key gives `undefined`.
 */
export interface EventSealer {
  sealFor(caseId: string, options: { readonly create: boolean }): Promise<CaseSeal | undefined>;
  /** A seal whose key is never kept, for a case whose key was destroyed. */
  afterErasure(caseId: string): CaseSeal;
}

export interface AppendRequest {
  readonly caseId: string;
  /** Events with their ids assigned; the first of a new case is its `CaseOpened`. */
  readonly events: readonly IdentifiedEvent[];
  /** `true` to open the case: the stream must not exist. `false`: it must. */
  readonly opening: boolean;
  /** Optimistic concurrency: append only if the stream is at exactly this version. */
  readonly expectedVersion?: number;
  /** The authenticated principal. */
  readonly recordedBy: string;
  /**
   * The ids of events whose `occurredAt` the server chose (the moment of the request) rather than the client: a
   * retry chooses another moment, so the fingerprint that recognises a retry leaves it out.
   */
  readonly occurredAtDefaulted?: readonly string[];
}

export interface AppendResult {
  readonly caseId: string;
  /** The stream's version after the append. */
  readonly version: number;
  readonly events: readonly StoredEvent[];
  /** `true` when every event had been recorded before: nothing was stored, the original result is returned. */
  readonly replayed: boolean;
}

export interface StreamHead {
  readonly version: number;
  readonly hash: string;
}

export interface EventPage {
  readonly events: StoredEvent[];
  /** The version to continue after; absent on the last page. */
  readonly continueAfter?: number;
}

/** Appends kept losing the race for the next version; the caller may try again shortly. */
export class LedgerBusyError extends Error {
  readonly code = 'ledger_busy';
  constructor(caseId: string, attempts: number) {
    super(`Case ${caseId} is being appended to by others; gave up after ${attempts} attempts`);
    this.name = 'LedgerBusyError';
  }
}

/** An append ready to write, chained onto the head it read; or the original result of an opening's retry. */
type PreparedAppend =
  | {
      readonly head: StreamHead;
      readonly stored: StoredEvent[];
      readonly fingerprints: string[];
      readonly seal: CaseSeal | undefined;
    }
  | { readonly replay: AppendResult };

function isLostRace(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  );
}

/**
 * The append-only ledger on DynamoDB (docs/architecture.md): one item per event, keyed by case and version, chained by
 * hashes. The application never updates or deletes an item; appends are conditional puts in one transaction.
 */
export class LedgerStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #clock: () => Date;
  readonly #maxAttempts: number;
  readonly #subjects: EventSealer;
  readonly #auditDays: AuditDays;

  constructor(options: LedgerStoreOptions) {
    this.#auditDays = new AuditDays(options);
    this.#subjects = options.subjects;
    this.#documents = options.documents;
    this.#tableName = options.tableName;
    this.#clock = options.clock;
    this.#maxAttempts = options.maxAttempts ?? 8;
  }

  get tableName(): string {
    return this.#tableName;
  }

  /** Reaches the table with one cheap read; throws when it cannot. */
  async ping(): Promise<void> {
    await this.head('#health');
  }

  /** The last event's version and hash: one strongly consistent read, however long the stream. */
  async head(caseId: string): Promise<StreamHead | undefined> {
    const { Items } = await this.#documents.send(
      new QueryCommand({
        TableName: this.#tableName,
        KeyConditionExpression: 'streamId = :s',
        ExpressionAttributeValues: { ':s': caseId },
        ProjectionExpression: 'version, #h',
        ExpressionAttributeNames: { '#h': 'hash' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    return item ? { version: Number(item.version), hash: String(item.hash) } : undefined;
  }

  /**
   * Appends events to a case atomically. Idempotent by `eventId`: when every event was recorded before (a
   * retry, even one racing the first attempt), nothing is stored and the original result comes back. Reads
   * only the stream's head, so its cost does not grow with the stream.
   *
   * Optimistic: the usual append is two calls, the head's `Query` and one `TransactWriteItems` whose conditions
   * (no item at the next versions, no guard for these event ids) make it the check as well as the write. Only
   * when the append is refused — by a rule, or by the write's conditions — or opens a case are the id guards
   * read, and a retry of an earlier append is answered with that append's result before any refusal is reported.
   */
  async append(request: AppendRequest): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      let prepared: PreparedAppend;
      try {
        prepared = await this.#prepare(request);
      } catch (refusal) {
        // An id conflict is what the guards already said; any other refusal may be caused by the original
        // append of this very request (the case exists now, its version moved on), so the guards are asked.
        if (!(refusal instanceof DomainError) || refusal instanceof EventIdConflictError) throw refusal;
        const replay = await this.#replayOf(request);
        if (replay) return replay;
        throw refusal;
      }
      if ('replay' in prepared) return prepared.replay;
      const { head, stored, fingerprints, seal } = prepared;
      try {
        await this.#write(fingerprints, stored);
        return {
          caseId: request.caseId,
          version: head.version + stored.length,
          events: stored,
          replayed: false,
        };
      } catch (error) {
        // Someone else took the next version, or recorded these event ids, between our read and our write:
        // a replay (or an id conflict) shows in the guards; otherwise the next round reads the new head.
        if (!isLostRace(error)) throw error;
        const replay = await this.#replayOf(request, seal);
        if (replay) return replay;
        if (attempt >= this.#maxAttempts) throw new LedgerBusyError(request.caseId, attempt);
      }
    }
  }

  /**
   * Finds the head, applies the append rules and chains the sealed events onto it; throws a refusal. An opening
   * that turns out to be a retry of one already recorded comes back as that opening's result instead.
   */
  async #prepare(request: AppendRequest): Promise<PreparedAppend> {
    const head = (await this.head(request.caseId)) ?? { version: 0, hash: GENESIS_HASH };
    if (request.opening && head.version > 0) throw new CaseAlreadyExistsError(request.caseId);
    if (!request.opening && head.version === 0) throw new CaseNotFoundError(request.caseId);
    if (request.expectedVersion !== undefined && request.expectedVersion !== head.version) {
      throw new VersionConflictError(request.expectedVersion, head.version);
    }
    const now = this.#clock();
    checkAppend(request.events, {
      caseId: request.caseId,
      headVersion: head.version,
      now,
      retractionTargets: await this.#retractionTargets(request.events),
    });
    if (request.opening) {
      // A new case's event ids are checked before its subject is sealed, so an opening refused for reusing
      // another case's ids makes no key: the write's own conditions would refuse it only after sealing. (An
      // opening that loses a race for its ids after this check may still leave a key for a case never opened.)
      const replay = await this.#replayOf(request);
      if (replay) return { replay };
    }
    const seal = await this.#sealFor(request);
    const events: readonly UnsealedEvent[] = request.events;
    const sealed = events.map((event) => (carriesFreeTexts(event.type) ? seal!.sealEvent(event) : event));
    const fingerprints = events.map((event) => fingerprintOf(event, request, seal));
    return {
      head,
      stored: this.#chain(request, sealed as SealedEvent[], head, now.toISOString()),
      fingerprints,
      seal,
    };
  }

  /**
   * The case's key for this append, read once for all its events; none when no event carries personal data.
   * A new case gets its key now. An open case without one was either erased — its facts keep counting, but
   * what is written about the person after the erasure is destroyed as it arrives, and no key comes back — or
   * was opened before personal data was sealed, and gets its first key now.
   */
  async #sealFor(request: AppendRequest): Promise<CaseSeal | undefined> {
    if (!request.events.some((event) => carriesFreeTexts(event.type))) return undefined;
    if (request.opening) return this.#subjects.sealFor(request.caseId, { create: true });
    return (
      (await this.#existingSeal(request.caseId)) ?? this.#subjects.sealFor(request.caseId, { create: true })
    );
  }

  /** The key of an open case, the throwaway seal of an erased one, or none (opened before sealing existed). */
  async #existingSeal(caseId: string): Promise<CaseSeal | undefined> {
    const seal = await this.#subjects.sealFor(caseId, { create: false });
    if (seal) return seal;
    return (await this.#wasErased(caseId)) ? this.#subjects.afterErasure(caseId) : undefined;
  }

  /**
   * Whether a case without a key lost it: its subject is sealed, or it records an erasure. Read only for a case
   * without a key, which is rare: once erased, or once before its first append after sealing existed.
   */
  async #wasErased(caseId: string): Promise<boolean> {
    const [first] = await this.readRange(caseId, 1, 1);
    if (first?.type === 'CaseOpened' && 'sealed' in first.data.subject) return true;
    for await (const _ of queryItems(this.#documents, {
      TableName: this.#tableName,
      KeyConditionExpression: 'streamId = :s',
      FilterExpression: '#t = :erased',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':s': caseId, ':erased': 'Erased' },
      ProjectionExpression: 'version',
      ConsistentRead: true,
    })) {
      return true;
    }
    return false;
  }

  #chain(
    request: AppendRequest,
    events: readonly SealedEvent[],
    head: StreamHead,
    recordedAt: string,
  ): StoredEvent[] {
    const stored: StoredEvent[] = [];
    let prevHash = head.hash;
    for (const [index, event] of events.entries()) {
      // Built field by field, in the envelope's order, so a fresh append and its replay answer byte for byte alike.
      const unhashed = {
        streamId: request.caseId,
        version: head.version + index + 1,
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.occurredAt,
        sources: event.sources,
        ...(event.note !== undefined && { note: event.note }),
        data: event.data,
        recordedAt,
        recordedBy: request.recordedBy,
        prevHash,
      } as Omit<StoredEvent, 'hash'>;
      const withHash = { ...unhashed, hash: hashEvent(unhashed) } as StoredEvent;
      stored.push(withHash);
      prevHash = withHash.hash;
    }
    return stored;
  }

  async #write(fingerprints: readonly string[], stored: readonly StoredEvent[]): Promise<void> {
    const condition = 'attribute_not_exists(streamId)';
    const puts = stored.flatMap((event, index) => {
      const guard: EventIdGuard = {
        eventId: event.eventId,
        caseId: event.streamId,
        eventVersion: event.version,
        type: event.type,
        fingerprint: fingerprints[index]!,
      };
      return [
        { Put: { TableName: this.#tableName, Item: toEventItem(event), ConditionExpression: condition } },
        {
          Put: {
            TableName: this.#tableName,
            Item: toGuardItem(guard, event.recordedAt),
            ConditionExpression: condition,
          },
        },
      ];
    });
    // Before the events, so the audit feed never misses a day that holds one (see AuditDays). An append's
    // events share one day; an import's keep the days they were first recorded on.
    await this.#auditDays.mark(
      new Set(stored.map((event) => event.recordedAt.slice(0, 10))),
      this.#clock().toISOString().slice(0, 10),
    );
    await this.#documents.send(new TransactWriteCommand({ TransactItems: puts }));
  }

  /**
   * The original result when every event was recorded before; a conflict when only some were, or differently.
   *
   * A replay of events that carry personal data goes only to the principal who recorded them: they know what
   * they sent. Anyone else gets the same conflict whether or not their content matched, and their content is
   * never compared, or a recorder without the right to see the person could confirm a guessed name by
   * replaying the opening's event id with it.
   */
  async #replayOf(request: AppendRequest, known?: CaseSeal): Promise<AppendResult | undefined> {
    const guards = await this.findGuards(request.events.map((event) => event.eventId));
    if (guards.size === 0) return undefined;
    // In the request's order, so that the same request always names the same event.
    for (const event of request.events) {
      const guard = guards.get(event.eventId);
      if (guard && guard.caseId !== request.caseId) {
        throw new EventIdConflictError(event.eventId, 'belongs to another case');
      }
    }
    for (const event of request.events) {
      if (!guards.has(event.eventId)) {
        throw new EventIdConflictError(
          [...guards.keys()][0]!,
          'was recorded by an earlier append that did not carry all of these events; resend that append unchanged, or use new ids',
        );
      }
    }
    const versions = [...guards.values()].map((guard) => guard.eventVersion);
    const events = await this.readRange(request.caseId, Math.min(...versions), Math.max(...versions));
    const byId = new Map(events.map((event) => [event.eventId, event]));
    const original = request.events.map((event) => byId.get(event.eventId)!);
    for (const [index, event] of request.events.entries()) {
      if (carriesFreeTexts(event.type) && original[index]!.recordedBy !== request.recordedBy) {
        throw new EventIdConflictError(
          event.eventId,
          'was recorded by another principal; only they can retry it: use a new id',
        );
      }
    }
    const needsKey = request.events.some((event) => carriesFreeTexts(event.type));
    const seal = needsKey ? (known ?? (await this.#existingSeal(request.caseId))) : undefined;
    for (const event of request.events) {
      const recorded = guards.get(event.eventId)!.fingerprint;
      if (recorded !== expectedFingerprint(event, request, recorded, seal)) {
        throw new EventIdConflictError(event.eventId, 'was recorded with different content');
      }
    }
    return { caseId: request.caseId, version: Math.max(...versions), events: original, replayed: true };
  }

  async #retractionTargets(events: readonly IdentifiedEvent[]): Promise<Map<string, RetractionTarget>> {
    const targetIds = events.flatMap((event) => (event.type === 'Retracted' ? [event.data.eventId] : []));
    const guards = await this.findGuards(targetIds);
    return new Map(
      [...guards].map(([eventId, guard]) => [eventId, { streamId: guard.caseId, type: guard.type }]),
    );
  }

  /** The guards of the given event ids that exist, read strongly consistent so a just-won race is seen. */
  async findGuards(eventIds: readonly string[]): Promise<Map<string, EventIdGuard>> {
    const found = new Map<string, EventIdGuard>();
    const unique = [...new Set(eventIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(start, start + 100).map(eventIdGuardKey);
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await this.#documents.send(
          new BatchGetCommand({ RequestItems: { [this.#tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.#tableName] ?? []) {
          const guard = fromGuardItem(item);
          found.set(guard.eventId, guard);
        }
        keys = result.UnprocessedKeys?.[this.#tableName]?.Keys;
      }
    }
    return found;
  }

  /**
   * One page of a case's events in version order, after `afterVersion`. With `knownAt`, only events recorded
   * by then; the page is filled up to `limit` across DynamoDB pages.
   */
  async readPage(
    caseId: string,
    options: { afterVersion?: number; limit?: number; knownAt?: Date } = {},
  ): Promise<EventPage> {
    const limit = options.limit ?? 100;
    const events: StoredEvent[] = [];
    let after = options.afterVersion ?? 0;
    for (;;) {
      const input: QueryCommandInput = {
        TableName: this.#tableName,
        KeyConditionExpression: 'streamId = :s AND version > :v',
        ExpressionAttributeValues: { ':s': caseId, ':v': after },
        Limit: limit - events.length,
        ConsistentRead: true,
      };
      if (options.knownAt) {
        input.FilterExpression = 'recordedAt <= :k';
        input.ExpressionAttributeValues = {
          ...input.ExpressionAttributeValues,
          ':k': options.knownAt.toISOString(),
        };
      }
      const { Items = [], LastEvaluatedKey } = await this.#documents.send(new QueryCommand(input));
      events.push(...Items.map(fromEventItem));
      if (!LastEvaluatedKey) return { events };
      after = Number(LastEvaluatedKey.version);
      if (events.length >= limit) return { events, continueAfter: after };
    }
  }

  /** Every event of a case, in version order. */
  async readStream(caseId: string, options: { knownAt?: Date } = {}): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const page of this.pages(caseId, options)) events.push(...page);
    return events;
  }

  /** A case's events in version order, a page at a time, for exports that must not hold a whole stream. */
  async *pages(
    caseId: string,
    options: { knownAt?: Date; pageSize?: number } = {},
  ): AsyncGenerator<StoredEvent[]> {
    let afterVersion: number | undefined = 0;
    while (afterVersion !== undefined) {
      const page: EventPage = await this.readPage(caseId, {
        afterVersion,
        limit: options.pageSize ?? 1000,
        ...(options.knownAt && { knownAt: options.knownAt }),
      });
      if (page.events.length > 0) yield page.events;
      afterVersion = page.continueAfter;
    }
  }

  /** The events with versions from `first` to `last`, inclusive. */
  async readRange(caseId: string, first: number, last: number): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const item of queryItems(this.#documents, {
      TableName: this.#tableName,
      KeyConditionExpression: 'streamId = :s AND version BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':s': caseId, ':a': first, ':b': last },
      ConsistentRead: true,
    })) {
      events.push(fromEventItem(item));
    }
    return events;
  }

  /**
   * Every case id, a shard at a time, from the sparse case index (eventually consistent: a case opened in the
   * last moment may be missing). Never a `Scan`.
   */
  async *caseIds(): AsyncGenerator<string> {
    for (const shard of allShards()) {
      for await (const item of queryItems(this.#documents, {
        TableName: this.#tableName,
        IndexName: 'byCase',
        KeyConditionExpression: 'caseShard = :k',
        ExpressionAttributeValues: { ':k': `cases#${shard}` },
      })) {
        yield String(item.streamId);
      }
    }
  }

  /** The head as the ledger stood at `at`: the last event recorded by then; usually the first item read. */
  async headAt(caseId: string, at: Date): Promise<StreamHead | undefined> {
    for await (const item of queryItems(this.#documents, {
      TableName: this.#tableName,
      KeyConditionExpression: 'streamId = :s',
      FilterExpression: 'recordedAt <= :at',
      ExpressionAttributeValues: { ':s': caseId, ':at': at.toISOString() },
      ProjectionExpression: 'version, #h',
      ExpressionAttributeNames: { '#h': 'hash' },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: 10,
    })) {
      return { version: Number(item.version), hash: String(item.hash) };
    }
    return undefined;
  }

  /**
   * Writes events exported from a ledger — envelopes, times, authors and hashes as they were — after the
   * case's head. Events the ledger already holds with the same hash are skipped, so an interrupted import
   * can simply run again; one that differs, or a chain that does not hold, is refused before anything is
   * written. Batches of `MAX_EVENTS_PER_APPEND`, each one transaction.
   */
  async importEvents(
    caseId: string,
    events: readonly StoredEvent[],
  ): Promise<{ written: number; skipped: number }> {
    const head = await this.head(caseId);
    const headVersion = head?.version ?? 0;
    const existing = events.filter((event) => event.version <= headVersion);
    if (existing.length > 0) {
      const stored = await this.readRange(caseId, existing[0]!.version, existing.at(-1)!.version);
      const hashes = new Map(stored.map((event) => [event.version, event.hash]));
      for (const event of existing) {
        if (hashes.get(event.version) !== event.hash) throw new ImportConflictError(caseId, event.version);
      }
    }
    const fresh = events.filter((event) => event.version > headVersion);
    let prevHash = head?.hash ?? GENESIS_HASH;
    for (const [index, event] of fresh.entries()) {
      const { hash, ...unhashed } = event;
      if (
        event.streamId !== caseId ||
        event.version !== headVersion + index + 1 ||
        event.prevHash !== prevHash ||
        hashEvent(unhashed) !== hash
      ) {
        throw new ImportChainError(caseId, event.version);
      }
      prevHash = hash;
    }
    for (let start = 0; start < fresh.length; start += MAX_EVENTS_PER_APPEND) {
      const batch = fresh.slice(start, start + MAX_EVENTS_PER_APPEND);
      // The texts are already sealed; the fingerprint is over the sealed form, which is all an import has.
      await this.#write(
        batch.map((event) => sha256OfCanonical(submittedFormOf(event))),
        batch,
      );
    }
    return { written: fresh.length, skipped: existing.length };
  }
}

/** The event as a client would have submitted it, subject sealed: what an imported guard's fingerprint is over. */
function submittedFormOf(event: StoredEvent): SealedEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    sources: event.sources,
    ...(event.note !== undefined && { note: event.note }),
    data: event.data,
  } as SealedEvent;
}

/** An imported event is already in the ledger with another hash: the two ledgers' histories differ. */
export class ImportConflictError extends Error {
  readonly code = 'import_conflict';
  constructor(caseId: string, version: number) {
    super(`${caseId} version ${version} is already in the ledger with a different hash; nothing was written`);
    this.name = 'ImportConflictError';
  }
}

/** The imported events do not form an unbroken chain after the case's head. */
export class ImportChainError extends Error {
  readonly code = 'import_chain_broken';
  constructor(caseId: string, version: number) {
    super(`${caseId} version ${version} does not chain onto the events before it; nothing was written`);
    this.name = 'ImportChainError';
  }
}
