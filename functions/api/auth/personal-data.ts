import { createHash } from 'node:crypto';
import type { Subject } from '../../../domain/event-catalogue.ts';
import { ERASED, type SealedSubject } from '../../../domain/sealed-subject.ts';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import type { RevealedSubject } from '../../personal-data/subject-vault.ts';
import type { ShownEvent } from '../event-answer-schemas.ts';
import { type Principal, seesPersonalData } from './principal.ts';

/** Opens a stored subject with its case's key: the part of `SubjectVault` the API reads with. */
export interface SubjectReader {
  reveal(caseId: string, stored: SealedSubject | Subject): Promise<RevealedSubject>;
}

/**
 * A stable stand-in for the person of a case, the same in every answer: derived from the case id, so it says
 * nothing the case id does not, and nothing about the person.
 */
export function pseudonymOf(caseId: string): string {
  return `person-${createHash('sha256').update(caseId, 'utf8').digest('hex').slice(0, 12)}`;
}

/** What a subject read shows when its key is gone, or when the stored box does not open. */
const UNREADABLE = '[unreadable]';

function withNationality<T extends object>(shown: T, stored: { nationality?: string | undefined }) {
  return { ...shown, ...(stored.nationality !== undefined && { nationality: stored.nationality }) };
}

async function subjectFor(
  principal: Principal,
  caseId: string,
  stored: SealedSubject | Subject,
  subjects: SubjectReader,
): Promise<object> {
  if (!seesPersonalData(principal)) return withNationality({ pseudonym: pseudonymOf(caseId) }, stored);
  const revealed = await subjects.reveal(caseId, stored);
  if (revealed.state === 'clear') return revealed.subject;
  return withNationality({ name: revealed.state === 'erased' ? ERASED : UNREADABLE }, stored);
}

/**
 * Events as a caller may see them. The subject of a `CaseOpened` (name, birth year, occupation, notes) is
 * stored sealed with the case's key; it shows in clear only with the `pii` scope or the `admin` role, as
 * `[erased]` once the key is destroyed, and to everyone else as the pseudonym and the nationality, which the
 * status views and summaries count by.
 */
export async function eventsFor(
  principal: Principal,
  events: readonly StoredEvent[],
  subjects: SubjectReader,
): Promise<ShownEvent[]> {
  return Promise.all(
    events.map(async (event) => {
      if (event.type !== 'CaseOpened') return event;
      const subject = await subjectFor(principal, event.streamId, event.data.subject, subjects);
      return { ...event, data: { ...event.data, subject } } as ShownEvent;
    }),
  );
}
