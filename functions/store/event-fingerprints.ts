import { CaseErasedError } from '../../domain/errors.ts';
import { carriesFreeTexts } from '../../domain/free-text-fields.ts';
import { sha256OfCanonical } from '../../domain/hash-chain.ts';
import {
  type CaseSeal,
  KEYED_FINGERPRINT,
  TEXTLESS_FINGERPRINT,
  textlessFingerprint,
  type UnsealedEvent,
} from '../personal-data/subject-vault.ts';

/**
 * The fingerprints the event-id guards keep of what was submitted, so that a retry is told from a reuse of an
 * id for other content. They never hold personal data in a form that could be guessed back.
 */

/** What an append says of its events that a fingerprint needs: which `occurredAt` the ledger chose. */
export interface FingerprintedAppend {
  readonly caseId: string;
  readonly occurredAtDefaulted?: readonly string[];
}

/** The event as its fingerprint sees it: a moment the server chose is no part of what the client sent. */
function submittedForm(event: UnsealedEvent, request: FingerprintedAppend): UnsealedEvent {
  if (!request.occurredAtDefaulted?.includes(event.eventId)) return event;
  return { ...event, occurredAt: '(chosen by the ledger)' };
}

/**
 * The fingerprint of an event as submitted: a retry must carry the same content under the same id. An event
 * with personal data (subject, free texts) is fingerprinted with the case's key, never in a form that could be
 * guessed back; `Erased`, which has none, with a plain hash, so a retry needs no key it has just destroyed.
 */
export function fingerprintOf(
  event: UnsealedEvent,
  request: FingerprintedAppend,
  seal: CaseSeal | undefined,
): string {
  const submitted = submittedForm(event, request);
  if (!carriesFreeTexts(event.type)) return sha256OfCanonical(submitted);
  return seal!.fingerprint(submitted);
}

/** The fingerprint a guard written before free texts were sealed holds: a plain hash, the subject keyed. */
function earlierFingerprintOf(event: UnsealedEvent, seal: CaseSeal | undefined): string {
  if (event.type !== 'CaseOpened' || !seal) return sha256OfCanonical(event);
  const digest = seal.subjectDigest(event.data.subject);
  return sha256OfCanonical({ ...event, data: { ...event.data, subject: { digest } } });
}

/**
 * The fingerprint a retry of `event` must match, in the form its guard holds: keyed, textless (recorded
 * after an erasure), or the plain form of guards written before free texts were sealed. A keyed one cannot
 * be checked once the key is gone: the retry is refused as coming after the erasure.
 */
export function expectedFingerprint(
  event: UnsealedEvent,
  request: FingerprintedAppend,
  recorded: string,
  seal: CaseSeal | undefined,
): string {
  if (!carriesFreeTexts(event.type)) return fingerprintOf(event, request, undefined);
  if (recorded.startsWith(TEXTLESS_FINGERPRINT)) return textlessFingerprint(submittedForm(event, request));
  const key = seal && !seal.afterErasure ? seal : undefined;
  if (recorded.startsWith(KEYED_FINGERPRINT)) {
    if (!key) throw new CaseErasedError(request.caseId);
    return fingerprintOf(event, request, key);
  }
  if (event.type === 'CaseOpened' && !key) throw new CaseErasedError(request.caseId);
  return earlierFingerprintOf(event, key);
}
