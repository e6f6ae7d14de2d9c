import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../notify/support/smtp-sink.ts';
import {
  type BrowserRuntime,
  newPage,
  saveScreenshot,
  signIn,
  startBrowserRuntime,
} from './support/browser-runtime.ts';
import { type InboxMail, inboxOf } from './support/smtp-inbox.ts';

/**
 * What a desk is promised: it subscribes in the web application and, as days pass, is told once when a
 * person's consular visit becomes overdue, once when it is resolved, and by a daily digest in between; and no
 * email holds the person's name. The runtime is the real one (ledger, projector, notifier, SMTP to a real
 * server on loopback) on a clock the test moves forward; the notifier's pass is asked for at each moment, as its
 * interval would run it.
 */
const DAY_MS = 86_400_000;
const DESK = 'harbour.desk@example.org';
const CASE_ID = 'C-7301';
const INVENTED_NAME = 'Ilse Testfigure';

let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
let inbox: SmtpSink;
let target: BrowserRuntime;
/** The UTC day the test starts on, and instants counted from it. */
let today: string;
const dayAfter = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS);
const dayText = (days: number) => dayAfter(days).toISOString().slice(0, 10);
const at = (days: number, time: string) => new Date(`${dayText(days)}T${time}Z`);

/** Moves the runtime's clock to `moment` (only forward) and runs a notifier pass there. */
async function passAt(moment: Date) {
  const wanted = moment.getTime() - Date.now();
  if (wanted < offsetMs) throw new Error('the test clock only moves forward');
  offsetMs = wanted;
  await target.runtime.notifierCaughtUp();
  await target.runtime.notifyNow();
}

async function api(path: string, body: unknown) {
  const response = await fetch(`${target.runtime.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await target.token(['recorder'])}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  await target.runtime.projected();
}

const source = { title: 'Report of the harbour desk (invented)' };
const desk = () => inboxOf(inbox, DESK);
const kindOf = (mail: InboxMail) =>
  /confirm/i.test(mail.subject)
    ? 'confirm'
    : /digest|daily/i.test(mail.subject)
      ? 'digest'
      : /resolved|no longer|ended/i.test(mail.subject)
        ? 'resolved'
        : /overdue/i.test(mail.subject)
          ? 'raised'
          : `other: ${mail.subject}`;

beforeAll(async () => {
  inbox = await startSmtpSink();
  today = new Date().toISOString().slice(0, 10);
  target = await startBrowserRuntime({
    // The interval is the longest allowed, so only the passes this test asks for run (and the first, at start).
    env: { SMTP_URL: inbox.url, NOTIFY_INTERVAL_SECONDS: '86400', NOTIFY_FROM: 'ledger@example.org' },
    clock,
  });
  // A person detained 25 days ago, never visited: overdue after 30 whole days.
  await api('/cases', {
    caseId: CASE_ID,
    subject: { name: INVENTED_NAME, nationality: 'Ruritania' },
    groupId: 'harbour-desk',
    events: [
      {
        type: 'Detained',
        occurredAt: dayText(-25),
        sources: [source],
        data: { place: 'Harbour Gate, Exampleton', facility: 'Harbour Remand Centre' },
      },
    ],
  });
}, 180_000);

afterAll(async () => {
  await target?.stop();
  await inbox?.stop();
});

describe('a desk told of an overdue visit, as days pass', () => {
  it('subscribes in the web application, at once and daily, and confirms the address from the emails', async () => {
    const { context, page, pageErrors } = await newPage(target);
    try {
      await signIn(target, page, { name: 'Harbour Desk', roles: ['viewer'] }, '/notifications');
      for (const cadence of ['At once', 'Once a day'] as const) {
        await page.getByRole('radio', { name: 'A group' }).check();
        await page.getByLabel('Group', { exact: true }).selectOption('harbour-desk');
        await page.getByRole('checkbox', { name: 'Consular visit overdue' }).check();
        await page.getByLabel('Email address').fill(DESK);
        await page.getByRole('radio', { name: cadence }).check();
        if (cadence === 'Once a day') await page.getByLabel('Hour').selectOption('8');
        await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
        await page
          .getByRole('status')
          .filter({ hasText: `We sent a link to ${DESK}` })
          .waitFor();
      }
      await expect.poll(async () => (await desk()).length, { timeout: 20_000 }).toBe(2);
      expect((await desk()).map(kindOf)).toEqual(['confirm', 'confirm']);
      for (const mail of await desk()) {
        const link = /https?:\/\/\S+\/app\/confirm\?token=[\w.~-]+/.exec(mail.text)?.[0];
        expect(link, mail.text).toBeDefined();
        await page.goto(link!);
        await page.getByText('Your address is confirmed.').waitFor();
      }
      await page.goto(`${target.app}/notifications`);
      await page.locator('.subscription').nth(1).waitFor();
      expect(await page.getByText('Waiting for you to confirm the address').count()).toBe(0);
      await saveScreenshot(page, 'notifications-confirmed');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is told nothing while the visit is not yet overdue, not even by the digest', async () => {
    // The interval runs all day; these are the passes that matter: before and after each morning's digest hour.
    for (const days of [1, 2, 3, 4, 5]) await passAt(at(days, '08:05:00')); // 26 to 30 days
    expect((await desk()).map(kindOf)).toEqual(['confirm', 'confirm']);
  });

  it('gets one email when the visit becomes overdue, and nothing more from passes at the same moment', async () => {
    await passAt(at(6, '07:00:00')); // 31 whole days: overdue
    await passAt(at(6, '07:30:00'));
    const mails = (await desk()).slice(2);
    expect(mails.map(kindOf), mails.map((m) => m.subject).join(' | ')).toEqual(['raised']);
    expect(mails[0]!.text).toContain(CASE_ID);
    expect(mails[0]!.text).toContain(`${target.app}/cases/${CASE_ID}`);
  });

  it('gets a daily digest after its hour that lists the open alert', async () => {
    await passAt(at(6, '08:05:00'));
    await passAt(at(6, '12:00:00'));
    const mails = (await desk()).slice(3);
    expect(mails.map(kindOf), mails.map((m) => m.subject).join(' | ')).toEqual(['digest']);
    expect(mails[0]!.text).toContain(CASE_ID);
  });

  it('gets one email when the visit is recorded and the alert resolves', async () => {
    offsetMs = at(7, '06:00:00').getTime() - Date.now();
    await api(`/cases/${CASE_ID}/events`, {
      events: [
        {
          type: 'ConsularVisit',
          // At an hour: a visit known only to the day counts once that day is over, as every uncertain date.
          occurredAt: `${dayText(7)}T05:30:00Z`,
          sources: [source],
          data: { by: 'Consulate of Ruritania in Exampleton' },
        },
      ],
    });
    await passAt(at(7, '06:30:00'));
    await passAt(at(7, '06:45:00'));
    const mails = (await desk()).slice(4);
    expect(mails.map(kindOf), mails.map((m) => m.subject).join(' | ')).toEqual(['resolved']);
    expect(mails[0]!.text).toContain(CASE_ID);
  });

  it('gets the next morning’s digest, which lists the alert as resolved', async () => {
    await passAt(at(7, '08:05:00'));
    const mails = (await desk()).slice(5);
    expect(mails.map(kindOf), mails.map((m) => m.subject).join(' | ')).toEqual(['digest']);
    expect(mails[0]!.text).toContain(CASE_ID);
  });

  it('no email holds the person’s name, and every one can be left with one click', async () => {
    const mails = await desk();
    for (const mail of mails) {
      expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain(INVENTED_NAME);
      expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain('Testfigure');
    }
    for (const mail of mails.filter((m) => kindOf(m) !== 'confirm')) {
      expect(mail.rawHeaders).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/i);
      expect(mail.text).toMatch(/\/app\/unsubscribe\?token=/);
    }
    expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(mails.length);
  });
});
