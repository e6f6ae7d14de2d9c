import { randomUUID } from 'node:crypto';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import type { NewEvent } from '../../domain/event-catalogue.ts';

/** Invented people and sources only: the ledger holds personal data, tests never use real names. */
export const inventedSource = [{ title: 'Invented test report', publisher: 'Example Monitor' }];

export function opening(groupId?: string, name = 'Ada Example'): IdentifiedEvent {
  return {
    eventId: randomUUID(),
    type: 'CaseOpened',
    occurredAt: '2025-07-01T09:00:00Z',
    sources: inventedSource,
    data: { subject: { name, nationality: 'Utopia' }, ...(groupId && { groupId }) },
  };
}

export function detained(occurredAt = '2025-06-30', facility = 'Central Remand Prison'): IdentifiedEvent {
  return {
    eventId: randomUUID(),
    type: 'Detained',
    occurredAt,
    sources: inventedSource,
    data: { place: 'Capital', facility },
  };
}

export function consularVisit(occurredAt: string): IdentifiedEvent {
  return {
    eventId: randomUUID(),
    type: 'ConsularVisit',
    occurredAt,
    sources: inventedSource,
    data: { by: 'Embassy of Utopia' },
  };
}

export function released(occurredAt: string, mode: 'bail' | 'house_arrest' = 'bail'): IdentifiedEvent {
  return {
    eventId: randomUUID(),
    type: 'Released',
    occurredAt,
    sources: inventedSource,
    data: { mode, announced: false },
  };
}

export function retraction(eventId: string): IdentifiedEvent {
  return {
    eventId: randomUUID(),
    type: 'Retracted',
    occurredAt: '2025-08-01',
    sources: inventedSource,
    data: { eventId, reason: 'The report was about someone else' },
  };
}

/** The request body form of an event: without its id, as most clients send it. */
export function withoutId(event: IdentifiedEvent): NewEvent {
  const { eventId: _, ...rest } = event;
  return rest as NewEvent;
}
