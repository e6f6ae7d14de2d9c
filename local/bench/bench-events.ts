import { randomUUID } from 'node:crypto';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import type { NewEvent } from '../../domain/event-catalogue.ts';

/** Invented sources only: the benchmark records no real person. */
const BENCH_SOURCES = [{ title: 'Benchmark report (invented)', publisher: 'Bench Monitor' }];

/** A consular visit that occurred at `at`: a fact that comes after those before it, as most news does. */
export function visitAt(at: Date): NewEvent {
  return {
    type: 'ConsularVisit',
    occurredAt: at.toISOString(),
    sources: BENCH_SOURCES,
    data: { by: 'Embassy of Utopia' },
  };
}

/**
 * `count` consular visits that occurred a second ago, a millisecond apart, oldest first. Each call's visits
 * occur after the previous call's (the clock moves on), so appending them never lands an event in the past.
 */
export function visitsNow(count: number): NewEvent[] {
  const first = Date.now() - 1000 - count;
  return Array.from({ length: count }, (_, index) => visitAt(new Date(first + index)));
}

/** Events with the ids the API would give them: what the store's `append` takes. */
export function withIds(events: readonly NewEvent[]): IdentifiedEvent[] {
  return events.map((event) => ({ ...event, eventId: randomUUID() }) as IdentifiedEvent);
}

/** The opening of a case about an invented person, and the detention a month ago. */
export function openingEvents(): NewEvent[] {
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
  return [
    {
      type: 'CaseOpened',
      occurredAt: monthAgo,
      sources: BENCH_SOURCES,
      data: { subject: { name: 'Bench Person', nationality: 'Utopia' }, groupId: 'bench-group' },
    },
    {
      type: 'Detained',
      occurredAt: monthAgo,
      sources: BENCH_SOURCES,
      data: { place: 'Capital', facility: 'Invented Remand Prison' },
    },
  ];
}

/**
 * The story of the scale family's case number `index`: the opening and the detention a month ago, and a
 * consular visit since, on one of the 29 days after the detention, so that a day in the past finds some cases
 * visited and others not yet.
 */
export function scaleStory(index: number): NewEvent[] {
  const daysAgo = (index % 29) + 1;
  return [...openingEvents(), visitAt(new Date(Date.now() - daysAgo * 86_400_000))];
}
