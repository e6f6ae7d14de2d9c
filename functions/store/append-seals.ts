import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { carriesFreeTexts } from '../../domain/free-text-fields.ts';
import type { CaseSeal } from '../personal-data/subject-vault.ts';
import { type ExpectedVersion, opensCase } from './expected-version.ts';
import type { LedgerReads } from './ledger-reads.ts';

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

/** Which seal an append's events are sealed and fingerprinted with. */
export class AppendSeals {
  readonly #subjects: EventSealer;
  readonly #reads: LedgerReads;

  constructor(subjects: EventSealer, reads: LedgerReads) {
    this.#subjects = subjects;
    this.#reads = reads;
  }

  /**
   * The case's key for this append, read once for all its events; none when no event carries personal data.
   * A new case gets its key now. An open case without one was either erased — its facts keep counting, but
   * what is written about the person after the erasure is destroyed as it arrives, and no key comes back — or
   * was opened before personal data was sealed, and gets its first key now.
   */
  async forAppend(request: {
    readonly caseId: string;
    readonly expected: ExpectedVersion;
    readonly events: readonly IdentifiedEvent[];
  }): Promise<CaseSeal | undefined> {
    if (!request.events.some((event) => carriesFreeTexts(event.type))) return undefined;
    if (opensCase(request.expected)) return this.#subjects.sealFor(request.caseId, { create: true });
    return (await this.existing(request.caseId)) ?? this.#subjects.sealFor(request.caseId, { create: true });
  }

  /** The key of an open case, the throwaway seal of an erased one, or none (opened before sealing existed). */
  async existing(caseId: string): Promise<CaseSeal | undefined> {
    const seal = await this.#subjects.sealFor(caseId, { create: false });
    if (seal) return seal;
    return (await this.#wasErased(caseId)) ? this.#subjects.afterErasure(caseId) : undefined;
  }

  /**
   * Whether a case without a key lost it: its subject is sealed, or it records an erasure. Read only for a case
   * without a key, which is rare: once erased, or once before its first append after sealing existed.
   */
  async #wasErased(caseId: string): Promise<boolean> {
    const [first] = await this.#reads.readRange(caseId, 1, 1);
    if (first?.type === 'CaseOpened' && 'sealed' in first.data.subject) return true;
    return (await this.#reads.erasureOf(caseId)) !== undefined;
  }
}
