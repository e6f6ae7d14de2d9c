import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { CaseErasedError } from '../../domain/errors.ts';
import type { ErasedEvent, Subject } from '../../domain/event-catalogue.ts';
import { subjectSchema } from '../../domain/event-catalogue.ts';
import { mapFreeTexts } from '../../domain/free-text-fields.ts';
import type { SealedSubject } from '../../domain/sealed-subject.ts';
import { ERASED, isSealedText, type SealedText, UNREADABLE } from '../../domain/sealed-text.ts';
import type { SealedEvent } from '../../domain/stored-event.ts';
import { gcmOpen, gcmSeal } from './aes-gcm.ts';
import type { CaseKeys } from './case-keys.ts';

/** What a reader with the right to see the person gets. */
export type RevealedSubject =
  | { readonly state: 'clear'; readonly subject: Subject }
  | { readonly state: 'erased' | 'unreadable' };

/** An event as the ledger is asked to record it, before sealing. */
export type UnsealedEvent = IdentifiedEvent | (ErasedEvent & { readonly eventId: string });

const subjectAad = (caseId: string) => `subject:${caseId}`;
/** A text's box names its case, event and field: moved anywhere else, it does not open. */
const textAad = (caseId: string, eventId: string, field: string) => `text:${caseId}:${eventId}:${field}`;

/** A key of its own for each MAC, derived from the case key, so no key serves two algorithms. */
function macKey(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `detention-ledger ${purpose}`, 32));
}

function macOf(key: Buffer, purpose: string, value: unknown): string {
  return createHmac('sha256', macKey(key, purpose))
    .update(canonicalize(value) ?? '', 'utf8')
    .digest('base64url');
}

/** What a keyed fingerprint starts with, so it is told apart from the plain hashes guards held before. */
export const KEYED_FINGERPRINT = 'hmac:';

/** What the fingerprint of an event recorded after its case's erasure starts with: its texts are no part of it. */
export const TEXTLESS_FINGERPRINT = 'textless:';

/**
 * The fingerprint of an event whose free texts were destroyed as they arrived (its case was erased): a plain
 * hash of what is kept, the structured facts, which the stored event shows in clear anyway.
 */
export function textlessFingerprint(
  submitted: UnsealedEvent | { readonly type: UnsealedEvent['type'] },
): string {
  const kept = mapFreeTexts(submitted, () => null);
  const hash = createHash('sha256')
    .update(canonicalize(kept) ?? '', 'utf8')
    .digest('hex');
  return `${TEXTLESS_FINGERPRINT}${hash}`;
}

/**
 * One case's key, read once, to seal a batch of events: the subject, every free text, and the fingerprints
 * the idempotency guards keep.
 */
export class CaseSeal {
  readonly #caseId: string;
  readonly #key: Buffer;
  /** Whether the case was erased: the key is a throwaway one, and what it seals is gone at once. */
  readonly afterErasure: boolean;

  constructor(caseId: string, key: Buffer, afterErasure = false) {
    this.#caseId = caseId;
    this.#key = key;
    this.afterErasure = afterErasure;
  }

  /** The event as the ledger stores it: subject and free texts sealed, structured facts as they were. */
  sealEvent(event: UnsealedEvent): SealedEvent {
    const texts = mapFreeTexts(event, (value, field) =>
      typeof value === 'string' ? this.sealText(value, event.eventId, field) : value,
    );
    if (texts.type !== 'CaseOpened') return texts as SealedEvent;
    return {
      ...texts,
      data: { ...texts.data, subject: this.sealSubject(texts.data.subject) },
    } as SealedEvent;
  }

  sealText(text: string, eventId: string, field: string): SealedText {
    const box = gcmSeal(this.#key, Buffer.from(text, 'utf8'), textAad(this.#caseId, eventId, field));
    return { alg: 'A256GCM', iv: box.iv, ciphertext: box.ciphertext };
  }

  /** The personal fields in one box; the nationality beside it in clear, because the views count by it. */
  sealSubject(subject: Subject): SealedSubject {
    const { nationality, ...personal } = subject;
    const box = gcmSeal(
      this.#key,
      Buffer.from(canonicalize(personal) ?? '{}', 'utf8'),
      subjectAad(this.#caseId),
    );
    return {
      ...(nationality !== undefined && { nationality }),
      sealed: { alg: 'A256GCM', iv: box.iv, ciphertext: box.ciphertext },
    };
  }

  /**
   * A fingerprint of what was submitted, keyed by the case's key: a plain hash of a note or a name could be
   * confirmed by guessing long after the key was destroyed, since guards are never deleted.
   */
  fingerprint(submitted: UnsealedEvent): string {
    if (this.afterErasure) return textlessFingerprint(submitted);
    return `${KEYED_FINGERPRINT}${macOf(this.#key, 'event fingerprint', submitted)}`;
  }

  /** The keyed digest of a subject that fingerprints of openings held before free texts were sealed. */
  subjectDigest(subject: Subject): string {
    return macOf(this.#key, 'subject digest', subject);
  }
}

/**
 * One case's key, read once, to open its boxes: each comes back in clear, as `[erased]` once the key is
 * destroyed, or `[unreadable]` when it does not open (altered behind the ledger's back).
 */
export class CaseOpener {
  readonly #caseId: string;
  readonly #key: Buffer | undefined;

  constructor(caseId: string, key: Buffer | undefined) {
    this.#caseId = caseId;
    this.#key = key;
  }

  /** A stored free text as a reader who may see it reads it; a text stored in clear comes back as it is. */
  text(stored: unknown, eventId: string, field: string): string {
    if (typeof stored === 'string') return stored;
    if (!isSealedText(stored)) return UNREADABLE;
    if (!this.#key) return ERASED;
    try {
      return gcmOpen(this.#key, stored, textAad(this.#caseId, eventId, field)).toString('utf8');
    } catch {
      return UNREADABLE;
    }
  }

  /** A subject stored before sealing existed (in clear) comes back as it is. */
  subject(stored: SealedSubject | Subject): RevealedSubject {
    if (!('sealed' in stored)) return { state: 'clear', subject: stored };
    if (!this.#key) return { state: 'erased' };
    try {
      const personal: unknown = JSON.parse(
        gcmOpen(this.#key, stored.sealed, subjectAad(this.#caseId)).toString('utf8'),
      );
      const subject = subjectSchema.parse({
        ...(personal as object),
        ...(stored.nationality !== undefined && { nationality: stored.nationality }),
      });
      return { state: 'clear', subject };
    } catch {
      return { state: 'unreadable' };
    }
  }
}

/**
 * Seals and opens the personal data of a case with the case's own key: its subject and every free text of its
 * events (AES-256-GCM, bound to where each box belongs). One key read serves a whole batch.
 */
export class SubjectVault {
  readonly #keys: CaseKeys;

  constructor(keys: CaseKeys) {
    this.#keys = keys;
  }

  /**
   * The case's key, ready to seal with: made now when `create` (a new case, or one recorded before sealing
   * existed); `undefined` when the case has none and none is to be made.
   */
  async sealFor(caseId: string, options: { readonly create: boolean }): Promise<CaseSeal | undefined> {
    const key = options.create ? await this.#keys.obtain(caseId) : await this.#keys.find(caseId);
    return key ? new CaseSeal(caseId, key) : undefined;
  }

  /**
   * A seal for an erased case: a key made for this batch and never kept, so the free texts of events recorded
   * after the erasure are destroyed as they arrive (they read `[erased]`) while their facts keep counting. No
   * key of the case comes back, and no text is ever stored in clear.
   */
  afterErasure(caseId: string): CaseSeal {
    return new CaseSeal(caseId, randomBytes(32), true);
  }

  /** The case's key, ready to open with; boxes read `[erased]` when it is gone. */
  async openerFor(caseId: string): Promise<CaseOpener> {
    return new CaseOpener(caseId, await this.#keys.find(caseId));
  }

  /** Seals a subject with the case's key (made now for a new case) and gives its keyed digest. */
  async seal(caseId: string, subject: Subject): Promise<{ sealed: SealedSubject; digest: string }> {
    const seal = (await this.sealFor(caseId, { create: true }))!;
    return { sealed: seal.sealSubject(subject), digest: seal.subjectDigest(subject) };
  }

  /** The keyed digest of a subject of a case that still has its key. */
  async digest(caseId: string, subject: Subject): Promise<string> {
    const seal = await this.sealFor(caseId, { create: false });
    if (!seal) throw new CaseErasedError(caseId);
    return seal.subjectDigest(subject);
  }

  /** Opens a stored subject: one key read. */
  async reveal(caseId: string, stored: SealedSubject | Subject): Promise<RevealedSubject> {
    if (!('sealed' in stored)) return { state: 'clear', subject: stored };
    return (await this.openerFor(caseId)).subject(stored);
  }

  /** Whether the case has a key to destroy: `false` once erased (or for a case recorded before sealing). */
  async hasKey(caseId: string): Promise<boolean> {
    return this.#keys.exists(caseId);
  }

  /** Destroys the case's key. */
  erase(caseId: string): Promise<{ readonly existed: boolean }> {
    return this.#keys.destroy(caseId);
  }
}
