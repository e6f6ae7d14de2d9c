import { createHash } from 'node:crypto';
import type { Subject } from '../../../domain/event-catalogue.ts';
import { mapFreeTexts } from '../../../domain/free-text-fields.ts';
import type { SealedSubject } from '../../../domain/sealed-subject.ts';
import { ERASED, SEALED, UNREADABLE } from '../../../domain/sealed-text.ts';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import type { CaseOpener, RevealedSubject } from '../../personal-data/subject-vault.ts';
import type { ShownEvent, ShownSubject } from '../event-answer-schemas.ts';
import { type Principal, seesPersonalData } from './principal.ts';

/** Opens a case's boxes with its key, read once: the part of `SubjectVault` the API reads with. */
export interface SubjectReader {
  openerFor(caseId: string): Promise<CaseOpener>;
}

/**
 * A stable stand-in for the person of a case, the same in every answer: derived from the case id, so it says
 * nothing the case id does not, and nothing about the person.
 */
export function pseudonymOf(caseId: string): string {
  return `person-${createHash('sha256').update(caseId, 'utf8').digest('hex').slice(0, 12)}`;
}

function withNationality<T extends object>(shown: T, stored: { nationality?: string | undefined }) {
  return { ...shown, ...(stored.nationality !== undefined && { nationality: stored.nationality }) };
}

/** Which form of the person an answer shows: it tells a cached answer apart from one after an erasure. */
export type SubjectForm = 'pseudonym' | RevealedSubject['state'];

type StoredSubject = SealedSubject | Subject;
type Nationality = { nationality?: string | undefined };

/** The person as a caller who may see personal data reads them: in clear, or the name `[erased]`, `[unreadable]`. */
function revealedSubject(
  opener: CaseOpener,
  stored: StoredSubject,
): { subject: ShownSubject; form: SubjectForm } {
  const revealed = opener.subject(stored);
  if (revealed.state === 'clear') return { subject: revealed.subject, form: 'clear' };
  const name = revealed.state === 'erased' ? ERASED : UNREADABLE;
  return { subject: withNationality({ name }, stored), form: revealed.state };
}

/** The person as everyone else reads them: the case's pseudonym and the nationality. */
const pseudonymousSubject = (caseId: string, stored: Nationality): ShownSubject =>
  withNationality({ pseudonym: pseudonymOf(caseId) }, stored);

/** An event as a caller who may see personal data reads it: every box opened, or `[erased]`, `[unreadable]`. */
function opened(event: StoredEvent, opener: CaseOpener): StoredEvent {
  const texts = mapFreeTexts(event, (value, field) => opener.text(value, event.eventId, field));
  if (texts.type !== 'CaseOpened') return texts;
  const { subject } = revealedSubject(opener, texts.data.subject);
  return { ...texts, data: { ...texts.data, subject } } as unknown as StoredEvent;
}

/**
 * An event as everyone else reads it: the person as a pseudonym and the nationality, every free text as
 * `[sealed]` — a name may have been typed into any of them — whether it is stored sealed or, recorded before
 * texts were sealed, in clear.
 */
function withheld(event: StoredEvent): StoredEvent {
  const texts = mapFreeTexts(event, () => SEALED);
  if (texts.type !== 'CaseOpened') return texts;
  const subject = pseudonymousSubject(event.streamId, texts.data.subject);
  return { ...texts, data: { ...texts.data, subject } } as unknown as StoredEvent;
}

/**
 * The person of a case as the caller may see them, from the case's opening (version 1): the same subject, by
 * the same rules and the same opener, as in the opening event of the case's history. An opening gone missing
 * or replaced behind the ledger (which `verify` reports) names nobody: `[unreadable]`.
 */
export async function subjectFor(
  principal: Principal,
  caseId: string,
  opening: StoredEvent | undefined,
  subjects: SubjectReader,
): Promise<{ subject: ShownSubject; form: SubjectForm }> {
  const stored = opening?.type === 'CaseOpened' ? opening.data.subject : undefined;
  if (!seesPersonalData(principal)) {
    return { subject: pseudonymousSubject(caseId, stored ?? {}), form: 'pseudonym' };
  }
  if (!stored) return { subject: { name: UNREADABLE }, form: 'unreadable' };
  return revealedSubject(await subjects.openerFor(caseId), stored);
}

/**
 * Events as a caller may see them. The subject of a `CaseOpened` (name, birth year, occupation, notes) and the
 * free texts of every event (notes, labels, sources, reasons) are stored sealed with the case's key; they show
 * in clear only with the `pii` scope or the `admin` role, and read `[erased]` once the key is destroyed. Structured
 * facts (dates, facilities, courts, charges …) and the `Erased` event show to everyone. A caller without the
 * right reads no key at all; one with it, one key read per case in the batch.
 */
export async function eventsFor(
  principal: Principal,
  events: readonly StoredEvent[],
  subjects: SubjectReader,
): Promise<ShownEvent[]> {
  // The shown form differs from the stored one only in its texts and subject, which the answer schemas describe.
  if (!seesPersonalData(principal)) return events.map(withheld) as unknown as ShownEvent[];
  const openers = new Map<string, Promise<CaseOpener>>();
  const openerOf = (caseId: string) => {
    const known = openers.get(caseId);
    if (known) return known;
    const opener = subjects.openerFor(caseId);
    openers.set(caseId, opener);
    return opener;
  };
  const shown = await Promise.all(
    events.map(async (event) =>
      event.type === 'Erased' ? event : opened(event, await openerOf(event.streamId)),
    ),
  );
  return shown as unknown as ShownEvent[];
}
