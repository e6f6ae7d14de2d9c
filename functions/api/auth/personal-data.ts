import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import { type Principal, seesPersonalData } from './principal.ts';

/**
 * A stable stand-in for the person of a case, the same in every answer: derived from the case id, so it says
 * nothing the case id does not, and nothing about the person.
 */
export function pseudonymOf(caseId: string): string {
  return `person-${createHash('sha256').update(caseId, 'utf8').digest('hex').slice(0, 12)}`;
}

/**
 * An event as a caller may see it. The subject of a `CaseOpened` (name, birth year, occupation, notes) shows
 * in clear only with the `pii` scope or the `admin` role; everyone else gets the pseudonym, and the
 * nationality, which the status views and summaries count by.
 */
export function eventFor(principal: Principal, event: StoredEvent): StoredEvent {
  if (event.type !== 'CaseOpened' || seesPersonalData(principal)) return event;
  const { subject, ...rest } = event.data;
  return {
    ...event,
    data: {
      ...rest,
      subject: {
        pseudonym: pseudonymOf(event.streamId),
        ...(subject.nationality !== undefined && { nationality: subject.nationality }),
      },
    },
  } as unknown as StoredEvent;
}

export function eventsFor(principal: Principal, events: readonly StoredEvent[]): StoredEvent[] {
  return events.map((event) => eventFor(principal, event));
}
