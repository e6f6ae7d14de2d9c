import { randomUUID } from 'node:crypto';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { newEventSchema } from '../../domain/event-catalogue.ts';
import { occurredAtOf } from '../../domain/occurred-at.ts';
import { DEMO_GROUP_ID, type DemoEvent, demoData } from '../../local/demo-data.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { notifierHarness } from './support/notifier-harness.ts';
import { aSubscription } from './support/notify-fixtures.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

/**
 * The demo group's story, lived day by day: each event recorded on its own day (as a desk would have), the
 * notifier run at 12:00 UTC every day for 153 days, and the consular-visit notices one immediate subscription
 * got, read from a real SMTP server, compared with a table worked out by hand from the story.
 *
 * Recording on the events' own days, not all at once "today": the notifier asks for the alerts open at its
 * run's moment, with that moment as "now", so a ledger holding later facts would answer with them.
 */
const TODAY = new Date('2026-06-15T12:00:00.000Z');
const DAY_MS = 86_400_000;
const FIRST_RUN_DAYS_AGO = 152;
const DESK = 'riverside-desk@example.org';

/** `n` days before TODAY at 12:00 UTC: the time of that day's run. */
const runAt = (n: number) => new Date(TODAY.getTime() - n * DAY_MS);
const daysAgoOf = (at: Date) => Math.round((TODAY.getTime() - at.getTime()) / DAY_MS);

type Transition = 'raised' | 'resolved';
type Told = readonly [caseId: string, transition: Transition, daysAgo: number];

/**
 * By hand, from local/demo-data.ts and the rules (domain/alerts.ts, domain/fold-case.ts): overdue on the
 * first day more than 30 whole days after the detention's or last visit's day; an event dated to a day counts
 * once that day is over (the fold counts an event from its latest possible moment), so a visit or release on
 * day V is seen by the run of V+1; a visit with a time counts from that time. A release ends the alert; a
 * sentence does not (sentenced is custody).
 */
const EXPECTED: Told[] = [
  // c03, c05, c06: detained 150 days ago and not visited since: overdue from 150 − 31 = 119 days ago.
  ['demo-c03', 'raised', 119],
  ['demo-c05', 'raised', 119],
  ['demo-c06', 'raised', 119],
  // c02: last visit 136 days ago (detained 150): overdue from 136 − 31 = 105 days ago.
  ['demo-c02', 'raised', 105],
  // c04: visit 127 days ago (after a transfer 140 days ago): overdue from 127 − 31 = 96 days ago.
  ['demo-c04', 'raised', 96],
  // c06: visit 70 days ago, counted by the next day's run.
  ['demo-c06', 'resolved', 69],
  // c01: visits 147, 136, 127 and 99 days ago (no gap over 30), then none: overdue from 99 − 31 = 68 days ago.
  ['demo-c01', 'raised', 68],
  // c02: released on bail 56 days ago (a day, no time): counted by the next day's run.
  ['demo-c02', 'resolved', 55],
  // c05: visit 50 days ago, counted by the next day's run.
  ['demo-c05', 'resolved', 49],
  // c03: released some time in the month of 75 days ago ("2026-04?"): counted after 30 April, on 1 May.
  ['demo-c03', 'resolved', 45],
  // c04: visit 41 days ago, counted by the next day's run.
  ['demo-c04', 'resolved', 40],
  // c06: no visit since the one 70 days ago: overdue again from 70 − 31 = 39 days ago.
  ['demo-c06', 'raised', 39],
  // c05: no visit since the one 50 days ago (sentenced 35 days ago, still in custody): 50 − 31 = 19 days ago.
  ['demo-c05', 'raised', 19],
  // c04: no visit since the one 41 days ago (the missed hearing is another kind): 41 − 31 = 10 days ago.
  ['demo-c04', 'raised', 10],
  // c01: visited 3 days ago at 10:00, recorded then: the 12:00 run that day sees it. (Custody runs to TODAY + 10.)
  ['demo-c01', 'resolved', 3],
];

/** When a desk records an event: at its moment when it has a time, else at 18:00 UTC on its last possible day. */
function recordedAt(occurredAt: string): number {
  if (occurredAt.includes('T')) return Date.parse(occurredAt);
  const lastDay = new Date(occurredAtOf(occurredAt).latest).toISOString().slice(0, 10);
  return Date.parse(`${lastDay}T18:00:00.000Z`);
}

const identified = (event: DemoEvent | Record<string, unknown>): IdentifiedEvent =>
  newEventSchema.parse({ eventId: randomUUID(), ...event }) as IdentifiedEvent;

interface Recording {
  readonly at: number;
  readonly caseId: string;
  readonly events: IdentifiedEvent[];
  readonly opens: boolean;
}

/**
 * The demo's appends as a desk would have made them: each case opened at its `openedAt` with the events that
 * had happened by then, every later event appended on its own day (those of a case on the same day together).
 */
function recordingsOf(data: ReturnType<typeof demoData>): Recording[] {
  const recordings: Recording[] = [];
  const later = new Map<string, { at: number; caseId: string; events: DemoEvent[] }>();
  const addLater = (caseId: string, event: DemoEvent) => {
    const at = recordedAt(event.occurredAt);
    const key = `${caseId}@${at}`;
    const entry = later.get(key) ?? { at, caseId, events: [] };
    entry.events.push(event);
    later.set(key, entry);
  };
  for (const demo of data.cases) {
    const openedAt = Date.parse(demo.openedAt);
    const known = demo.events.filter((event) => occurredAtOf(event.occurredAt).latest <= openedAt);
    recordings.push({
      at: openedAt,
      caseId: demo.caseId,
      opens: true,
      events: [
        identified({
          type: 'CaseOpened',
          occurredAt: demo.openedAt,
          sources: [{ title: 'Case opened for the demo', publisher: 'detention-ledger demo (fictional)' }],
          data: { subject: demo.subject, groupId: DEMO_GROUP_ID },
        }),
        ...known.map(identified),
      ],
    });
    for (const event of demo.events) if (!known.includes(event)) addLater(demo.caseId, event);
  }
  for (const update of data.updates) for (const event of update.events) addLater(update.caseId, event);
  for (const entry of later.values())
    recordings.push({ ...entry, opens: false, events: entry.events.map(identified) });
  return recordings.sort((a, b) => a.at - b.at);
}

let db: TestTables;
let smtp: SmtpSink;
const told: Told[] = [];
const mails: ParsedMail[] = [];

beforeAll(async () => {
  db = await createTestTables('notify-seed');
  smtp = await startSmtpSink();
  const h = notifierHarness(db, smtp, runAt(FIRST_RUN_DAYS_AGO + 1).toISOString());
  await h.store.createSubscription(
    aSubscription('s-riverside', {
      owner: 'desk-officer-1',
      ownerRoles: ['viewer'],
      createdAt: h.clock().toISOString(),
      scope: { kind: 'group', groupId: DEMO_GROUP_ID },
      alertKinds: ['consular_visit_overdue'],
      eventTypes: [],
      cadence: { kind: 'immediate' },
      channel: { kind: 'email', address: DESK, language: 'en' },
    }),
  );
  const recordings = recordingsOf(demoData(TODAY));
  let next = 0;
  for (let daysAgo = FIRST_RUN_DAYS_AGO; daysAgo >= 0; daysAgo -= 1) {
    const run = runAt(daysAgo);
    // What the desk recorded since the last run, each at its own moment.
    for (; next < recordings.length && (recordings[next]?.at ?? 0) <= run.getTime(); next += 1) {
      const recording = recordings[next]!;
      h.setNow(new Date(recording.at).toISOString());
      await h.append(recording.caseId, recording.events, recording.opens ? 'no_stream' : 'stream_exists');
    }
    h.setNow(run.toISOString());
    const before = smtp.received.length;
    const summary = await h.notifier.run();
    expect(summary.failed).toBe(0);
    for (const mail of smtp.received.slice(before)) {
      const parsed = await simpleParser(mail.raw);
      mails.push(parsed);
      const match = /^(Alert|Resolved): Consular visit overdue — case (demo-c\d\d)$/.exec(
        parsed.subject ?? '',
      );
      if (!match) throw new Error(`an unexpected mail: ${parsed.subject}`);
      told.push([match[2]!, match[1] === 'Alert' ? 'raised' : 'resolved', daysAgoOf(run)]);
    }
  }
  expect(next).toBe(recordings.length); // every recording fell before the last run
}, 600_000);
afterAll(async () => {
  await smtp?.stop();
  await db?.drop();
});

/** Earliest first, then by case, then raised before resolved: the order of the table. */
const inOrder = (list: readonly Told[]) =>
  [...list].sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));

describe('the demo story’s consular-visit notices, day by day', () => {
  it('are exactly the transitions worked out by hand', () => {
    expect(inOrder(told)).toEqual(inOrder(EXPECTED));
  });

  it('tell each (case, transition, day) once, each mail its own notice', () => {
    const keys = told.map((entry) => entry.join(' '));
    expect(new Set(keys).size).toBe(keys.length);
    const ids = mails.map((mail) => mail.messageId);
    expect(ids.every((id) => /^<msg_[0-9a-f]{32}@ledger\.test>$/.test(id ?? ''))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('go to the desk, each with its case’s link', () => {
    for (const [index, mail] of mails.entries()) {
      const caseId = told[index]?.[0] ?? '';
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(DESK);
      expect(mail.text).toContain(`https://ledger.example.org/app/cases/${caseId}`);
    }
  });

  it('hold no name, note or occupation from the story', () => {
    const data = demoData(TODAY);
    const personal = [
      ...data.cases.flatMap((demo) => [demo.subject.name, demo.subject.occupation ?? '']),
      ...[...data.cases.flatMap((demo) => demo.events), ...data.updates.flatMap((u) => u.events)].flatMap(
        (event) => ('notes' in event.data && typeof event.data.notes === 'string' ? [event.data.notes] : []),
      ),
    ].filter((text) => text !== '');
    expect(personal).toContain('Ada Example');
    expect(mails.length).toBeGreaterThan(0);
    for (const mail of mails) {
      const seen = [mail.subject ?? '', mail.text ?? '', String(mail.html)].join('\n');
      for (const text of personal) expect(seen).not.toContain(text);
    }
  });
});
