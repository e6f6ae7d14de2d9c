import { describe, expect, it } from 'vitest';
import { newEventSchema, subjectSchema } from '../../domain/event-catalogue.ts';
import { occurredAtOf } from '../../domain/occurred-at.ts';
import { demoCases, demoUpdates } from '../../local/demo-data.ts';

const allEvents = [
  ...demoCases.flatMap((demo) => demo.events),
  ...demoUpdates.flatMap((update) => update.events),
];

describe('the demo data', () => {
  it('consists of events the catalogue accepts', () => {
    for (const event of allEvents) expect(newEventSchema.safeParse(event).error).toBeUndefined();
    for (const demo of demoCases) expect(subjectSchema.safeParse(demo.subject).error).toBeUndefined();
  });

  it('dates nothing in the future, which the API would refuse', () => {
    const now = Date.now();
    const dates = [...allEvents.map((event) => event.occurredAt), ...demoCases.map((demo) => demo.openedAt)];
    for (const date of dates) expect(occurredAtOf(date).earliest).toBeLessThanOrEqual(now);
  });

  it('appends its later reports only to cases it opens', () => {
    const opened = new Set(demoCases.map((demo) => demo.caseId));
    expect(opened.size).toBe(demoCases.length);
    for (const update of demoUpdates) expect(opened.has(update.caseId)).toBe(true);
  });

  it('covers the stories the demo promises', () => {
    const types = new Set(allEvents.map((event) => event.type));
    for (const type of [
      'ConsularVisit',
      'CustodyExtended',
      'Released',
      'Transferred',
      'Sentenced',
    ] as const) {
      expect(types).toContain(type);
    }
    expect(allEvents.some((event) => event.type === 'Released' && event.occurredAt === '2025-10?')).toBe(
      true,
    );
  });
});
