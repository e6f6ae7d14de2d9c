import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consularVisit, detained, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { notifierHarness } from './support/notifier-harness.ts';
import { aSubscription } from './support/notify-fixtures.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

/**
 * A viewer's daily digest at 08:00 Europe/Vilnius (UTC+2 in winter), and immediate case events from the
 * ledger's stream, over a real ledger and SMTP server. The case's subject has an invented name that must appear
 * in no message.
 */
let db: TestTables;
let smtp: SmtpSink;
let h: ReturnType<typeof notifierHarness>;

const DIGEST = 'digest-desk@example.org';
const EVENTS = 'events-desk@example.org';
const NAME = 'Zofia Inventedska';
const FACILITY = 'Lighthouse Remand Block';

beforeAll(async () => {
  db = await createTestTables('notify-digest');
  smtp = await startSmtpSink();
  h = notifierHarness(db, smtp, '2026-01-02T09:00:00.000Z');
  await h.append(
    'C-2077',
    [
      opening({
        groupId: 'harbour',
        subject: { name: NAME, nationality: 'Utopia', notes: `${NAME} is held` },
      }),
      detained('2026-01-01', FACILITY),
    ],
    'no_stream',
  );
  await h.store.createSubscription(
    aSubscription('s-digest', {
      ownerRoles: ['viewer'],
      scope: { kind: 'group', groupId: 'harbour' },
      eventTypes: ['ConsularVisit'],
      cadence: { kind: 'daily', hour: 8, timeZone: 'Europe/Vilnius' },
      channel: { kind: 'email', address: DIGEST, language: 'en' },
    }),
  );
  await h.store.createSubscription(
    aSubscription('s-events', {
      alertKinds: [],
      eventTypes: ['ConsularVisit'],
      scope: { kind: 'cases', caseIds: ['C-2077'] },
      channel: { kind: 'email', address: EVENTS, language: 'ru' },
    }),
  );
});
afterAll(async () => {
  await smtp.stop();
  await db.drop();
});

const bodies = (address: string) => smtp.to(address).map((mail) => mail.raw);

describe('daily digests', () => {
  it('the first is due at the hour after subscribing; a day with nothing to tell sends nothing', async () => {
    h.setNow('2026-01-05T07:00:00.000Z');
    expect(await h.notifier.run()).toMatchObject({ digests: 0 });
    h.setNow('2026-01-06T06:00:00.000Z'); // 08:00 in Vilnius: due, but empty
    expect(await h.notifier.run()).toMatchObject({ digests: 0, delivered: 0 });
    expect(bodies(DIGEST)).toEqual([]);
  });

  it('an alert raised before the hour is in that morning’s digest, once', async () => {
    h.setNow('2026-02-04T05:00:00.000Z'); // 07:00 local: 34 days since detention
    const first = await h.notifier.run();
    expect(first).toMatchObject({ raised: 1, digests: 1, delivered: 1 });
    expect(await h.notifier.run()).toMatchObject({ raised: 0, digests: 0, delivered: 0 });
    const [digest] = await smtp.parsedTo(DIGEST);
    expect(digest?.subject).toBe('Daily digest for February 3, 2026: 1 update');
    expect(digest?.text).toContain('New alerts (1)');
    expect(digest?.text).toContain(
      'C-2077 (https://ledger.example.org/app/cases/C-2077) — Consular visit overdue: No consular visit for 34 days',
    );
    // Listed as raised, not again as still open.
    expect(digest?.text).not.toContain('Still open');
  });

  it('events from the stream are told at once or kept for the digest, a repeated record adding nothing', async () => {
    h.setNow('2026-02-04T05:30:00.000Z'); // 07:30 local: before the next digest's hour
    const { events } = await h.append('C-2077', [consularVisit('2026-02-03')]);
    const record = await h.insertRecord('C-2077', events[0]?.version ?? 0);
    const other = await h.insertRecord('C-2077', 1); // the opening: not a watched type
    expect(await h.notifier.onLedgerRecords({ Records: [record, other] })).toEqual({ batchItemFailures: [] });
    expect(await h.notifier.onLedgerRecords({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(await h.notifier.run()).toMatchObject({ resolved: 1, digests: 0, delivered: 1 });
    expect(bodies(EVENTS)).toHaveLength(1);
    // In the subscriber's language: "Case C-2077: Consular visit" in Russian.
    const [told] = await smtp.parsedTo(EVENTS);
    expect(told?.subject).toBe('Дело C-2077: Консульское посещение');
    expect(told?.text).toContain('https://ledger.example.org/app/cases/C-2077');

    h.setNow('2026-02-05T06:00:00.000Z'); // 08:00 local
    expect(await h.notifier.run()).toMatchObject({ resolved: 0, digests: 1, delivered: 1 });
    const second = (await smtp.parsedTo(DIGEST))[1];
    expect(second?.subject).toBe('Daily digest for February 5, 2026: 2 updates');
    expect(second?.text).toContain('Resolved alerts (1)');
    // One event, though its record came twice.
    expect(second?.text).toContain('Events (1)');
    expect(second?.text?.match(/Consular visit, occurred/g)).toHaveLength(1);
  });

  it('no message holds the subject’s name, notes, facility or source', async () => {
    expect(smtp.received.length).toBeGreaterThanOrEqual(3);
    for (const { raw } of smtp.received) {
      // Decoded as a mail client would, so that no encoding (quoted-printable line breaks) hides a name.
      const mail = await simpleParser(raw);
      const seen = [raw, mail.subject ?? '', mail.text ?? '', String(mail.html)].join('\n');
      for (const personal of ['Zofia', 'Inventedska', FACILITY, 'Invented test report'])
        expect(seen).not.toContain(personal);
    }
  });
});
