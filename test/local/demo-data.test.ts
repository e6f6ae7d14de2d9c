import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newEventSchema, subjectSchema } from '../../domain/event-catalogue.ts';
import { occurredAtOf } from '../../domain/occurred-at.ts';
import { DEMO_GROUP_ID, demoCases, demoUpdates } from '../../local/demo-data.ts';

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

  it('holds every demo case and group the README tells a newcomer to query', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const caseIds = [...readme.matchAll(/\/cases\/(demo-[a-z0-9-]+)/g)].map((match) => match[1]);
    const groupIds = [...readme.matchAll(/groupId=(demo-[a-z0-9-]+)/g)].map((match) => match[1]);
    expect(caseIds.length).toBeGreaterThan(0);
    const opened = new Set(demoCases.map((demo) => demo.caseId));
    for (const caseId of caseIds) expect(opened, `README mentions ${caseId}`).toContain(caseId);
    for (const groupId of groupIds) expect(groupId).toBe(DEMO_GROUP_ID);
  });
});
