import { randomUUID } from 'node:crypto';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import {
  type EventData,
  type EventType,
  type NewEvent,
  newEventSchema,
} from '../../domain/event-catalogue.ts';
import { GENESIS_HASH, type HashableEvent, hashEvent } from '../../domain/hash-chain.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';

/**
 * The one builder of test events. Every event goes through the real catalogue schema, so a test can only be
 * written with events a client could send. The ledger holds personal data: people and sources are invented.
 */

export const inventedSource = [{ title: 'Invented test report', publisher: 'Example Monitor' }];

/** An event of the catalogue, parsed by `newEventSchema`, with an id. */
export function event<T extends EventType>(
  type: T,
  occurredAt: string,
  data: EventData<T>,
  eventId: string = randomUUID(),
): IdentifiedEvent {
  return newEventSchema.parse({
    eventId,
    type,
    occurredAt,
    sources: inventedSource,
    data,
  }) as IdentifiedEvent;
}

export interface OpeningFields extends Partial<EventData<'CaseOpened'>> {
  readonly occurredAt?: string;
}

/** The opening of a case about an invented person. */
export function opening({
  occurredAt = '2025-07-01T09:00:00Z',
  subject = { name: 'Ada Example', nationality: 'Utopia' },
  ...data
}: OpeningFields = {}): IdentifiedEvent {
  return event('CaseOpened', occurredAt, { subject, ...data });
}

export function detained(occurredAt = '2025-06-30', facility = 'Central Remand Prison'): IdentifiedEvent {
  return event('Detained', occurredAt, { place: 'Capital', facility });
}

export function consularVisit(occurredAt: string): IdentifiedEvent {
  return event('ConsularVisit', occurredAt, { by: 'Embassy of Utopia' });
}

export function released(occurredAt: string, mode: 'bail' | 'house_arrest' = 'bail'): IdentifiedEvent {
  return event('Released', occurredAt, { mode, announced: false });
}

/** A retraction of an earlier event, or of whatever event has this id. */
export function retraction(target: IdentifiedEvent | string, occurredAt = '2025-08-01'): IdentifiedEvent {
  return event('Retracted', occurredAt, {
    eventId: typeof target === 'string' ? target : target.eventId,
    reason: 'The report was about someone else',
  });
}

/** The request body form of an event: without its id, as most clients send it. */
/** An event as a request sends it, with its id: the API's request type of it. */
export function withId(event: IdentifiedEvent): NewEvent {
  return event as NewEvent;
}

export function withoutId(event: IdentifiedEvent): NewEvent {
  const { eventId: _, ...rest } = event;
  return rest as NewEvent;
}

/** A UUID (v4 layout) that is the same in every run, for generated streams. */
export function fixedEventId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The default transaction time of version `v`: one minute apart from 1 January 2026, after every test date. */
export function defaultRecordedAt(version: number): string {
  return new Date(Date.UTC(2026, 0, 1) + version * 60_000).toISOString();
}

export interface RecordOptions {
  readonly streamId?: string;
  /** When each version was recorded; by default one minute apart from 1 January 2026. */
  readonly recordedAt?: (version: number) => string;
}

/** Records events as the ledger would: versions 1, 2, 3 …, transaction times, and the hash chain. */
export function record(events: readonly IdentifiedEvent[], options: RecordOptions = {}): StoredEvent[] {
  const { streamId = 'case-under-test', recordedAt = defaultRecordedAt } = options;
  const stored: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (const [index, item] of events.entries()) {
    const version = index + 1;
    const hashable = {
      ...item,
      streamId,
      version,
      recordedAt: recordedAt(version),
      recordedBy: 'test-recorder',
      prevHash,
    } as HashableEvent;
    const hash = hashEvent(hashable);
    stored.push({ ...hashable, hash } as StoredEvent);
    prevHash = hash;
  }
  return stored;
}

/** Recorded-at times given explicitly, one per version, for specs about the `knownAt` clock. */
export function recordedAtList(times: readonly string[]): (version: number) => string {
  return (version) => {
    const time = times[version - 1];
    if (time === undefined) throw new Error(`No recorded-at time given for version ${version}`);
    return time;
  };
}
