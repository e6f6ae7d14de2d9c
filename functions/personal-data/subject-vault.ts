import { createHmac, hkdfSync } from 'node:crypto';
import canonicalize from 'canonicalize';
import { CaseErasedError } from '../../domain/errors.ts';
import type { Subject } from '../../domain/event-catalogue.ts';
import { subjectSchema } from '../../domain/event-catalogue.ts';
import type { SealedSubject } from '../../domain/sealed-subject.ts';
import { gcmOpen, gcmSeal } from './aes-gcm.ts';
import type { CaseKeys } from './case-keys.ts';

/** What a reader with the right to see the person gets. */
export type RevealedSubject =
  | { readonly state: 'clear'; readonly subject: Subject }
  | { readonly state: 'erased' | 'unreadable' };

const aadOf = (caseId: string) => `subject:${caseId}`;

/**
 * Seals and opens the subject of a case (issue 6) with the case's own key: AES-256-GCM over the canonical JSON
 * of the personal fields, the case id as additional data. The nationality stays beside the box in clear,
 * because the views count by it.
 */
export class SubjectVault {
  readonly #keys: CaseKeys;

  constructor(keys: CaseKeys) {
    this.#keys = keys;
  }

  /** Seals a subject with the case's key (made now for a new case) and gives its keyed digest. */
  async seal(caseId: string, subject: Subject): Promise<{ sealed: SealedSubject; digest: string }> {
    const key = await this.#keys.obtain(caseId);
    const { nationality, ...personal } = subject;
    const box = gcmSeal(key, Buffer.from(canonicalize(personal) ?? '{}', 'utf8'), aadOf(caseId));
    return {
      sealed: {
        ...(nationality !== undefined && { nationality }),
        sealed: { alg: 'A256GCM', iv: box.iv, ciphertext: box.ciphertext },
      },
      digest: digestWith(key, subject),
    };
  }

  /**
   * A digest of a subject keyed by the case's key: what an idempotency fingerprint holds in place of the
   * subject. A plain hash of a name could be confirmed by guessing long after the name was erased.
   */
  async digest(caseId: string, subject: Subject): Promise<string> {
    const key = await this.#keys.find(caseId);
    if (!key) throw new CaseErasedError(caseId);
    return digestWith(key, subject);
  }

  /**
   * Opens a stored subject. A subject stored before sealing existed (in clear) comes back as it is; one whose
   * key is gone reads `erased`; one that does not open (altered behind the ledger's back) `unreadable`.
   */
  async reveal(caseId: string, stored: SealedSubject | Subject): Promise<RevealedSubject> {
    if (!('sealed' in stored)) return { state: 'clear', subject: stored };
    const key = await this.#keys.find(caseId);
    if (!key) return { state: 'erased' };
    try {
      const personal: unknown = JSON.parse(gcmOpen(key, stored.sealed, aadOf(caseId)).toString('utf8'));
      const subject = subjectSchema.parse({
        ...(personal as object),
        ...(stored.nationality !== undefined && { nationality: stored.nationality }),
      });
      return { state: 'clear', subject };
    } catch {
      return { state: 'unreadable' };
    }
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

function digestWith(key: Buffer, subject: Subject): string {
  // A key of its own for the MAC, derived from the case key, so no key serves two algorithms.
  const macKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'detention-ledger subject digest', 32));
  return createHmac('sha256', macKey)
    .update(canonicalize(subject) ?? '', 'utf8')
    .digest('base64url');
}
