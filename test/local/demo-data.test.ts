import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newEventSchema, subjectSchema } from '../../domain/event-catalogue.ts';
import { occurredAtOf } from '../../domain/occurred-at.ts';
import { DEMO_GROUP_ID, type DemoData, demoData } from '../../local/demo-data.ts';

const allEvents = (data: DemoData) => [
  ...data.cases.flatMap((demo) => demo.events),
  ...data.updates.flatMap((update) => update.events),
];

const today = new Date('2026-03-10T09:30:00Z');
const data = demoData(today);

describe('the demo data', () => {
  it('consists of events the catalogue accepts', () => {
    for (const event of allEvents(data)) expect(newEventSchema.safeParse(event).error).toBeUndefined();
    for (const demo of data.cases) expect(subjectSchema.safeParse(demo.subject).error).toBeUndefined();
  });

  it('dates nothing after the day it is made for, which the API would refuse, whatever that day', () => {
    for (const day of [
      today,
      new Date('2027-01-01T00:00:00Z'),
      new Date('2026-02-28T23:59:59Z'),
      new Date(),
    ]) {
      const made = demoData(day);
      const dates = [
        ...allEvents(made).map((event) => event.occurredAt),
        ...made.cases.map((c) => c.openedAt),
      ];
      for (const date of dates) expect(occurredAtOf(date).earliest, date).toBeLessThanOrEqual(day.getTime());
    }
  });

  it('is a pure function of today, counted back from it, so its alerts read as this week', () => {
    expect(demoData(new Date(today))).toEqual(data);
    const extension = allEvents(data).find((event) => event.type === 'CustodyExtended');
    // Ten days ahead of the day it is made for: a custody term about to end, not one long gone.
    expect(extension?.data).toMatchObject({ until: '2026-03-20' });
    const latestVisit = data.updates.at(-1)?.events[0];
    expect(latestVisit).toMatchObject({ type: 'ConsularVisit', occurredAt: '2026-03-07T10:00:00Z' });
    expect(demoData(new Date('2026-12-01T12:00:00Z')).updates.at(-1)?.events[0]?.occurredAt).toBe(
      '2026-11-28T10:00:00Z',
    );
  });

  it('gives every case an opaque id that carries no part of a name', () => {
    for (const demo of data.cases) {
      expect(demo.caseId).toMatch(/^demo-c\d{2}$/);
      for (const part of demo.subject.name.toLowerCase().split(/\s+/)) {
        expect(demo.caseId.toLowerCase()).not.toContain(part);
      }
    }
    expect(DEMO_GROUP_ID).not.toMatch(/\d{4}/);
  });

  it('appends its later reports only to cases it opens', () => {
    const opened = new Set(data.cases.map((demo) => demo.caseId));
    expect(opened.size).toBe(data.cases.length);
    for (const update of data.updates) expect(opened.has(update.caseId)).toBe(true);
  });

  it('covers the stories the demo promises', () => {
    const events = allEvents(data);
    const types = new Set(events.map((event) => event.type));
    for (const type of [
      'ConsularVisit',
      'CustodyExtended',
      'Released',
      'Transferred',
      'Sentenced',
      'HearingHeld',
    ] as const) {
      expect(types).toContain(type);
    }
    // A release known only to the month, uncertain, and a month that is over: it counts.
    expect(events.some((event) => event.type === 'Released' && event.occurredAt === '2025-12?')).toBe(true);
  });

  it('holds every demo case and group the README tells a newcomer to query, and the README says why ids are opaque', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const caseIds = [...readme.matchAll(/\/cases\/(demo-[a-z0-9-]+)/g)].map((match) => match[1]);
    const groupIds = [...readme.matchAll(/groupId=(demo-[a-z0-9-]+)/g)].map((match) => match[1]);
    expect(caseIds.length).toBeGreaterThan(0);
    expect(groupIds.length).toBeGreaterThan(0);
    const opened = new Set(data.cases.map((demo) => demo.caseId));
    for (const caseId of caseIds) expect(opened, `README mentions ${caseId}`).toContain(caseId);
    for (const groupId of groupIds) expect(groupId).toBe(DEMO_GROUP_ID);
    expect(readme).toMatch(/A case id must never carry a name/);
  });
});
