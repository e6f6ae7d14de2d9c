import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consularVisit, detained, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { notifierHarness } from './support/notifier-harness.ts';
import { aSubscription } from './support/notify-fixtures.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

/**
 * Immediate email subscriptions over a real ledger and views, a real SMTP server, and a clock that passes days:
 * a consular visit becomes overdue (one notice), is recorded (one more), and nothing is told twice.
 */
let db: TestTables;
let smtp: SmtpSink;
let h: ReturnType<typeof notifierHarness>;

const VIEWER = 'viewer-desk@example.org';
const RECORDER = 'recorder-only@example.org';
const OTHER_GROUP = 'other-group@example.org';
const PENDING = 'not-yet-confirmed@example.org';

beforeAll(async () => {
  db = await createTestTables('notify-alerts');
  smtp = await startSmtpSink();
  h = notifierHarness(db, smtp, '2026-01-02T09:00:00.000Z');
  await h.append('C-1042', [opening({ groupId: 'harbour' }), detained('2026-01-01')], 'no_stream');
  const email = (address: string) => ({ kind: 'email' as const, address, language: 'en' as const });
  await h.store.createSubscription(aSubscription('s-viewer', { channel: email(VIEWER) }));
  await h.store.createSubscription(
    aSubscription('s-recorder', { ownerRoles: ['recorder'], owner: 'rec-1', channel: email(RECORDER) }),
  );
  await h.store.createSubscription(
    aSubscription('s-other', { scope: { kind: 'group', groupId: 'riverside' }, channel: email(OTHER_GROUP) }),
  );
  const pending = aSubscription('s-pending', { state: 'pending', channel: email(PENDING) });
  await h.store.createSubscription(pending);
  await h.notifier.requestConfirmation(pending, h.clock());
});
afterAll(async () => {
  await smtp.stop();
  await db.drop();
});

describe('immediate alert notices', () => {
  it('the first run only records what is open; a pending subscription gets its confirmation alone', async () => {
    h.setNow('2026-01-10T09:00:00.000Z');
    const summary = await h.notifier.run();
    expect(summary).toMatchObject({ raised: 0, resolved: 0, delivered: 1 });
    expect(smtp.to(VIEWER)).toHaveLength(0);
    const [confirmation] = await smtp.parsedTo(PENDING);
    expect(confirmation?.subject).toBe('Confirm your subscription to Detention Ledger notices');
    expect(confirmation?.text).toMatch(/https:\/\/ledger\.example\.org\/app\/confirm\?token=\S+/);
    // Nothing to unsubscribe from before the address is confirmed.
    expect(confirmation?.headers.has('list')).toBe(false);
  });

  it('a visit becoming overdue as days pass is told once, however often the notifier runs', async () => {
    h.setNow('2026-01-25T09:00:00.000Z'); // 24 days: not yet
    expect((await h.notifier.run()).raised).toBe(0);
    h.setNow('2026-02-05T09:00:00.000Z'); // 35 days
    expect(await h.notifier.run()).toMatchObject({ raised: 1, delivered: 1, failed: 0 });
    const [mail] = await smtp.parsedTo(VIEWER);
    expect(mail?.subject).toBe('Alert: Consular visit overdue — case C-1042');
    expect(mail?.text).toContain('A new alert is open for case C-1042.');
    expect(mail?.text).toContain('https://ledger.example.org/app/cases/C-1042');
    expect(mail?.messageId).toMatch(/^<msg_[0-9a-f]{32}@ledger\.test>$/);
    const list = mail?.headers.get('list') as { unsubscribe?: { url?: string } } | undefined;
    expect(list?.unsubscribe?.url).toMatch(
      /^https:\/\/ledger\.example\.org\/subscriptions\/unsubscribe\?token=\S+$/,
    );
    const oneClick = mail?.headerLines.find((header) => header.key === 'list-unsubscribe-post');
    expect(oneClick?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    expect(await h.notifier.run()).toEqual({ raised: 0, resolved: 0, digests: 0, delivered: 0, failed: 0 });
    h.setNow('2026-02-06T09:00:00.000Z'); // 36 days: the same open alert, longer
    expect(await h.notifier.run()).toMatchObject({ raised: 0, delivered: 0 });
    expect(smtp.to(VIEWER)).toHaveLength(1);
  });

  it('the visit recorded resolves it: one more notice, then nothing', async () => {
    h.setNow('2026-02-07T09:00:00.000Z');
    await h.append('C-1042', [consularVisit('2026-02-06')]);
    expect(await h.notifier.run()).toMatchObject({ raised: 0, resolved: 1, delivered: 1 });
    expect(smtp.to(VIEWER)).toHaveLength(2);
    const resolved = (await smtp.parsedTo(VIEWER))[1];
    expect(resolved?.subject).toBe('Resolved: Consular visit overdue — case C-1042');
    expect(resolved?.text).toContain('An alert of case C-1042 is resolved.');
    expect(await h.notifier.run()).toMatchObject({ resolved: 0, delivered: 0 });
  });

  it('a recorder-only owner, another group, and an unconfirmed address got nothing else', () => {
    expect(smtp.to(RECORDER)).toEqual([]);
    expect(smtp.to(OTHER_GROUP)).toEqual([]);
    expect(smtp.to(PENDING)).toHaveLength(1);
  });

  it('an unsubscribed subscription is told nothing more', async () => {
    await h.store.unsubscribe('s-viewer', h.clock());
    h.setNow('2026-03-20T09:00:00.000Z'); // 41 days since the visit: overdue again
    expect((await h.notifier.run()).raised).toBe(0);
    expect(smtp.to(VIEWER)).toHaveLength(2);
  });

  it('logs carry no address', () => {
    const logged = h.logger.lines.join('\n');
    for (const address of [VIEWER, RECORDER, OTHER_GROUP, PENDING]) expect(logged).not.toContain(address);
  });
});
