import { checkAppend, type IdentifiedEvent } from '../../domain/append-rules.ts';
import { DomainError, EventIdConflictError } from '../../domain/errors.ts';
import { carriesFreeTexts } from '../../domain/free-text-fields.ts';
import { GENESIS_HASH, hashEvent } from '../../domain/hash-chain.ts';
import type { SealedEvent, StoredEvent } from '../../domain/stored-event.ts';
import type { CaseSeal, UnsealedEvent } from '../personal-data/subject-vault.ts';
import type { AppendSeals } from './append-seals.ts';
import { envelopeOf } from './event-envelope.ts';
import { fingerprintOf } from './event-fingerprints.ts';
import type { EventIdGuards } from './event-id-guards.ts';
import { checkExpectedVersion, type ExpectedVersion, opensCase } from './expected-version.ts';
import type { LedgerReads, StreamHead } from './ledger-reads.ts';
import { isLostRace, type LedgerWrites } from './ledger-writes.ts';
import { StoreError } from './store-error.ts';

export interface AppendRequest {
  readonly caseId: string;
  /** Events with their ids assigned; the first of a new case is its `CaseOpened`. */
  readonly events: readonly IdentifiedEvent[];
  /** What the stream must be before the append: none (to open the case), any, or at exactly this version. */
  readonly expected: ExpectedVersion;
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

/** Appends kept losing the race for the next version; the caller may try again shortly. */
export class LedgerBusyError extends StoreError {
  readonly code = 'ledger_busy';
  constructor(caseId: string, attempts: number, options?: ErrorOptions) {
    super(`Case ${caseId} is being appended to by others; gave up after ${attempts} attempts`, options);
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

export interface LedgerAppendOptions {
  readonly reads: LedgerReads;
  readonly writes: LedgerWrites;
  readonly guards: EventIdGuards;
  readonly seals: AppendSeals;
  readonly clock: () => Date;
  /** How often an append that may take any version retries after losing a race for the next version. */
  readonly maxAttempts: number;
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
export async function appendEvents(
  options: LedgerAppendOptions,
  request: AppendRequest,
): Promise<AppendResult> {
  for (let attempt = 1; ; attempt++) {
    let prepared: PreparedAppend;
    try {
      prepared = await prepare(options, request);
    } catch (refusal) {
      const replay = await retryBehindRefusal(options, request, refusal);
      if (replay) return replay;
      throw refusal;
    }
    if ('replay' in prepared) return prepared.replay;
    const { head, stored, fingerprints, seal } = prepared;
    try {
      await options.writes.write(fingerprints, stored);
      return {
        caseId: request.caseId,
        version: head.version + stored.length,
        events: stored,
        replayed: false,
      };
    } catch (error) {
      if (!isLostRace(error)) throw error;
      const replay = await retryThatWonTheRace(options, request, seal);
      if (replay) return replay;
      if (attempt >= options.maxAttempts)
        throw new LedgerBusyError(request.caseId, attempt, { cause: error });
    }
  }
}

/** The earlier append this request retries, as its result; `undefined` when none recorded its events. */
async function replayOf(
  options: LedgerAppendOptions,
  request: AppendRequest,
  known?: CaseSeal,
): Promise<AppendResult | undefined> {
  const recorded = await options.guards.recordedAppend(request, known);
  return recorded && { caseId: request.caseId, ...recorded, replayed: true };
}

/**
 * An opening already recorded, asked before its subject is sealed, so an opening refused for reusing another
 * case's ids makes no key: the write's own conditions would refuse it only after sealing. (An opening that
 * loses a race for its ids after this check may still leave a key for a case never opened.)
 */
const openingAlreadyRecorded = replayOf;

/**
 * The original append of this very request, which may be what a refusal is about: the case exists now, its
 * version moved on. An id conflict is what the guards already said, and anything but a refusal is no answer.
 */
async function retryBehindRefusal(
  options: LedgerAppendOptions,
  request: AppendRequest,
  refusal: unknown,
): Promise<AppendResult | undefined> {
  if (!(refusal instanceof DomainError) || refusal instanceof EventIdConflictError) return undefined;
  return replayOf(options, request);
}

/**
 * After a lost race — someone else took the next version, or recorded these event ids, between our read and our
 * write — the original append of this request when it was the winner (or an id conflict); `undefined` when
 * another append won, and the next round reads the new head.
 */
const retryThatWonTheRace = replayOf;

/**
 * Finds the head, checks what the append expected of it, applies the append rules and chains the sealed events
 * onto it; throws a refusal. An opening that turns out to be a retry comes back as that opening's result.
 */
async function prepare(options: LedgerAppendOptions, request: AppendRequest): Promise<PreparedAppend> {
  const head = (await options.reads.head(request.caseId)) ?? { version: 0, hash: GENESIS_HASH };
  checkExpectedVersion(request.caseId, request.expected, head.version);
  const now = options.clock();
  checkAppend(request.events, {
    caseId: request.caseId,
    headVersion: head.version,
    now,
    retractionTargets: await options.guards.retractionTargets(request.events),
  });
  if (opensCase(request.expected)) {
    const replay = await openingAlreadyRecorded(options, request);
    if (replay) return { replay };
  }
  const seal = await options.seals.forAppend(request);
  const events: readonly UnsealedEvent[] = request.events;
  const sealed = events.map((event) => (carriesFreeTexts(event.type) ? seal!.sealEvent(event) : event));
  const fingerprints = events.map((event) => fingerprintOf(event, request, seal));
  return {
    head,
    stored: chain(request, sealed as SealedEvent[], head, now.toISOString()),
    fingerprints,
    seal,
  };
}

function chain(
  request: AppendRequest,
  events: readonly SealedEvent[],
  head: StreamHead,
  recordedAt: string,
): StoredEvent[] {
  const stored: StoredEvent[] = [];
  let prevHash = head.hash;
  for (const [index, event] of events.entries()) {
    const unhashed = envelopeOf({
      ...event,
      streamId: request.caseId,
      version: head.version + index + 1,
      recordedAt,
      recordedBy: request.recordedBy,
      prevHash,
    });
    const withHash = { ...unhashed, hash: hashEvent(unhashed) } as StoredEvent;
    stored.push(withHash);
    prevHash = withHash.hash;
  }
  return stored;
}
