import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserRuntime,
  expectAccessible,
  newPage,
  type PageOptions,
  type SignInAs,
  saveScreenshot,
  signIn,
  startBrowserRuntime,
} from './support/browser-runtime.ts';
import { arrangeCase, eventsOf, messagesAt, versionOf, viewOf } from './support/record-arrange.ts';
import { saveRegionScreenshot } from './support/region-screenshot.ts';

/** One who records and may read what the case page shows (the view, and its events for the retract menu). */
const recorder = { name: 'Rita Recorder', roles: ['recorder', 'viewer', 'auditor'] } as const;

let target: BrowserRuntime;

beforeAll(async () => {
  target = await startBrowserRuntime({ demo: true });
}, 300_000);

afterAll(async () => {
  await target?.stop();
});

/** A new context signed in as `who`, on the case page with its record panel shown. */
async function recordPage(caseId: string, options: PageOptions = {}, who: SignInAs = recorder) {
  const opened = await newPage(target, options);
  await signIn(target, opened.page, who, `/cases/${caseId}`);
  await opened.page.getByRole('heading', { name: /record an event|записать событие/i }).waitFor();
  return opened;
}

/** The case page's entry of an event in its events list, found by the heading that names its type. */
const entryOf = (page: Page, type: string) =>
  page
    .getByRole('region', { name: 'Events, in the order they occurred' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: new RegExp(`^${type}`) }) });

/** Opens an entry's "Actions" menu, where its "Retract" is. */
async function openActions(entry: ReturnType<typeof entryOf>) {
  await entry.getByText('Actions', { exact: true }).click();
}

/** Fills the form with a valid consular visit: the date, who visited, one source. */
async function fillVisit(page: Page, when: string, by = 'Embassy of Ruritania') {
  await page.getByLabel('What happened').selectOption({ label: 'Consular visit' });
  await page.getByLabel('When it happened (required)').fill(when);
  await page.getByLabel('By whom (required)').fill(by);
  await page.getByLabel('Title of source 1 (required)').fill('Note verbale of the ministry');
}

const thisMonthUncertain = () => `${new Date().toISOString().slice(0, 7)}?`;

describe('recording on the case page and the other record screens', () => {
  it('open a case through the form and lead to its page', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, recorder, '/cases/new');
    await page.getByRole('heading', { name: 'Open a case' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Name (required)').fill('Invented Person Zeta');
    await page.getByLabel('Nationality').fill('Ruritania');
    await page.getByLabel('Year of birth').fill('1990');
    await page.getByLabel('Group').fill('demo-riverside');
    await page.getByLabel('Case id (optional)').fill('rec-open-01');
    await page.getByLabel('When it happened (required)').fill('2025-07-03');
    await page.getByText('on 3 July 2025').waitFor();
    await page.getByLabel('Place (required)').fill('Riverside embankment');
    await page.getByLabel('Title of source 1 (required)').fill('Statement of the city police');
    await saveScreenshot(page, 'record-open-case-desk');
    await page.getByRole('button', { name: 'Open the case' }).click();
    await page.waitForURL(/\/app\/cases\/rec-open-01$/);
    const events = await eventsOf(target, 'rec-open-01');
    expect(events.map((event) => event.type)).toEqual(['CaseOpened', 'Detained']);
    expect(events[0]?.data).toMatchObject({ groupId: 'demo-riverside' });
    await context.close();
  }, 120_000);

  it('say an uncertain date in words as it is typed, and record a visit that is pending', async () => {
    await arrangeCase(target, 'rec-visit-01');
    const { context, page } = await recordPage('rec-visit-01');
    await page.getByLabel('When it happened (required)').fill('2025-10?');
    await page.getByText('some time in October 2025 (uncertain)').waitFor();
    await page.getByLabel('When it happened (required)').fill('2025-13-45');
    await page.getByText(/The ledger cannot read this date/).waitFor();
    await fillVisit(page, thisMonthUncertain());
    await page
      .getByText(/\(uncertain\)/)
      .first()
      .waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'record-visit-form-desk');
    await saveRegionScreenshot(
      page.getByRole('region', { name: 'Record an event' }),
      'record-visit-panel-desk',
    );
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page
      .getByRole('status')
      .getByText(/Recorded: Consular visit, some time in/)
      .waitFor();
    await target.runtime.projected();
    const visit = (await eventsOf(target, 'rec-visit-01')).find((event) => event.type === 'ConsularVisit');
    expect(visit?.occurredAt).toBe(thisMonthUncertain());
    expect((await viewOf(target, 'rec-visit-01')).pending).toContain(visit?.eventId);
    await page.reload();
    await entryOf(page, 'Consular visit').getByText('pending', { exact: true }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'record-visit-pending-desk');
    await context.close();
  }, 120_000);

  it('offer the form of every event type, each accessible', async () => {
    await arrangeCase(target, 'rec-types-01');
    const { context, page } = await recordPage('rec-types-01');
    const types = page.getByLabel('What happened');
    const names = await types.locator('option').allTextContents();
    expect(names).toHaveLength(15);
    expect(names).toContain('Hearing held');
    expect(names).not.toContain('Case opened');
    expect(names).not.toContain('Retracted');
    for (const name of names) {
      await types.selectOption({ label: name });
      await page.getByRole('group', { name: `Details: ${name}` }).waitFor();
      await expectAccessible(page);
    }
    await types.selectOption({ label: 'Sentenced' });
    await saveScreenshot(page, 'record-sentenced-desk');
    await types.selectOption({ label: 'Charged' });
    await page.getByRole('button', { name: 'Add a charge' }).click();
    await page.getByLabel('Charge 2', { exact: true }).waitFor();
    await saveScreenshot(page, 'record-charged-desk');
    await context.close();
  }, 180_000);

  it('say that someone else recorded, show what, and record on top with the same event', async () => {
    await arrangeCase(target, 'rec-race-01');
    const first = await recordPage('rec-race-01');
    const second = await recordPage('rec-race-01');
    await fillVisit(first.page, '2025-08-20', 'Consul A. Invented');
    await fillVisit(second.page, '2025-08-21', 'Consul B. Invented');
    const sentIds: string[] = [];
    second.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/cases/rec-race-01/events')) {
        sentIds.push((request.postDataJSON() as { events: { eventId: string }[] }).events[0]?.eventId ?? '');
      }
    });
    await first.page.getByRole('button', { name: 'Record', exact: true }).click();
    await first.page
      .getByRole('status')
      .getByText(/Recorded:/)
      .waitFor();
    const before = await versionOf(target, 'rec-race-01');

    await second.page.getByRole('button', { name: 'Record', exact: true }).click();
    const alert = second.page.getByRole('alert').filter({ hasText: 'Someone else recorded on this case.' });
    await alert.waitFor();
    await alert.getByText('Recorded since (1):').waitFor();
    await alert.getByRole('listitem').filter({ hasText: 'Consular visit, on 20 August 2025' }).waitFor();
    expect(await versionOf(target, 'rec-race-01')).toBe(before);
    // The page around the form reads the case again: its events list holds the other visit too.
    await entryOf(second.page, 'Consular visit').getByText('Consul A. Invented').waitFor();
    await expectAccessible(second.page);
    await saveScreenshot(second.page, 'record-conflict-desk');

    await alert.getByRole('button', { name: 'Record on top' }).click();
    await second.page
      .getByRole('status')
      .getByText(/Recorded:/)
      .waitFor();
    const visits = (await eventsOf(target, 'rec-race-01')).filter((event) => event.type === 'ConsularVisit');
    expect(visits.map((event) => event.data.by)).toEqual(['Consul A. Invented', 'Consul B. Invented']);
    // Recorded on top is the same event, not a new one: the id made when the form was filled.
    expect(sentIds).toHaveLength(2);
    expect(new Set(sentIds).size).toBe(1);
    expect(visits[1]?.eventId).toBe(sentIds[0]);
    await first.context.close();
    await second.context.close();
  }, 180_000);

  it('record once on a double click, and once when a lost answer is retried', async () => {
    await arrangeCase(target, 'rec-twice-01');
    const { context, page } = await recordPage('rec-twice-01');
    await fillVisit(page, '2025-07-14', 'Double Click Consul');
    await page.getByRole('button', { name: 'Record', exact: true }).dblclick();
    await page
      .getByRole('status')
      .getByText(/Recorded:/)
      .waitFor();

    // The second: the ledger records it, but the answer never reaches the page.
    await page.route('**/cases/rec-twice-01/events', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await fillVisit(page, '2025-07-23', 'Lost Answer Consul');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByText(/could not be reached/).waitFor();
    await page.unroute('**/cases/rec-twice-01/events');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page
      .getByRole('status')
      .getByText(/Recorded:/)
      .waitFor();

    const visits = (await eventsOf(target, 'rec-twice-01')).filter((event) => event.type === 'ConsularVisit');
    expect(visits.map((event) => event.data.by)).toEqual(['Double Click Consul', 'Lost Answer Consul']);
    await context.close();
  }, 120_000);

  it('wait for the connection when offline, then record once', async () => {
    await arrangeCase(target, 'rec-offline-01');
    const { context, page } = await recordPage('rec-offline-01');
    await fillVisit(page, '2025-07-14', 'Offline Consul');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByRole('button', { name: /Waiting for the connection/ }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'record-offline-desk');
    await context.setOffline(false);
    await page
      .getByRole('status')
      .getByText(/Recorded:/)
      .waitFor();
    const visits = (await eventsOf(target, 'rec-offline-01')).filter(
      (event) => event.type === 'ConsularVisit',
    );
    expect(visits.map((event) => event.data.by)).toEqual(['Offline Consul']);
    await context.close();
  }, 120_000);

  const hostile: readonly {
    readonly name: string;
    readonly spoil: (page: Page) => Promise<void>;
    readonly field: string;
    readonly message: RegExp;
  }[] = [
    {
      name: 'an oversized note',
      spoil: (page) => page.getByLabel('Note', { exact: true }).fill('x'.repeat(4001)),
      field: 'Note',
      message: /4000/,
    },
    {
      name: 'a control character in a name',
      spoil: (page) => page.getByLabel('By whom (required)').fill('Consul\u0007 Bell'),
      field: 'By whom (required)',
      message: /control character U\+0007/,
    },
    {
      name: 'a future date',
      spoil: (page) => page.getByLabel('When it happened (required)').fill('2099-01-01'),
      field: 'When it happened (required)',
      message: /in the future/,
    },
    {
      name: 'a malformed date',
      spoil: (page) => page.getByLabel('When it happened (required)').fill('2025-13-45'),
      field: 'When it happened (required)',
      message: /./,
    },
    {
      name: 'a link that is not http',
      spoil: (page) => page.getByLabel('Link to source 1').fill('javascript:alert(1)'),
      field: 'Link to source 1',
      message: /./,
    },
    {
      name: 'an empty source title',
      spoil: (page) => page.getByLabel('Title of source 1 (required)').fill(''),
      field: 'Title of source 1 (required)',
      message: /./,
    },
  ];

  it('show the API’s message at the field for hostile input, and record nothing', async () => {
    await arrangeCase(target, 'rec-hostile-01');
    const version = await versionOf(target, 'rec-hostile-01');
    const { context, page } = await recordPage('rec-hostile-01');
    for (const { name, spoil, field, message } of hostile) {
      await page.reload();
      await fillVisit(page, '2025-07-03');
      await spoil(page);
      await page.getByRole('button', { name: 'Record', exact: true }).click();
      expect(await messagesAt(page, field), name).toMatch(message);
      await page.getByRole('alert').getByText('Not recorded.').waitFor();
      if (name === 'a future date') await expectAccessible(page);
    }
    // No source at all: the list says so.
    await page.reload();
    await fillVisit(page, '2025-07-03');
    await page.getByRole('button', { name: 'Remove source 1' }).click();
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page
      .getByRole('group', { name: 'Sources (at least one)' })
      .getByText('at least one source')
      .waitFor();
    await saveScreenshot(page, 'record-refused-desk');
    expect(await versionOf(target, 'rec-hostile-01')).toBe(version);
    await context.close();
  }, 180_000);

  it('show the API’s message at the field in the open-case, retraction and group forms, and record nothing', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, recorder, '/cases/new');
    await page.getByRole('heading', { name: 'Open a case' }).waitFor();
    await page.getByLabel('Name (required)').fill('Invented\u0000Person');
    await page.getByLabel('Case id (optional)').fill('Invented Person');
    await page.getByLabel('Year of birth').fill('1850');
    await page.getByLabel('When it happened (required)').fill('2025-07-03');
    await page.getByLabel('Place (required)').fill('Riverside');
    await page.getByLabel('Title of source 1 (required)').fill('Statement of the city police');
    await page.getByRole('button', { name: 'Open the case' }).click();
    expect(await messagesAt(page, 'Case id (optional)')).toMatch(/A-Z a-z 0-9/);
    expect(await messagesAt(page, 'Name (required)')).toMatch(/U\+0000/);
    expect(await messagesAt(page, 'Year of birth')).toMatch(/1900/);
    await expectAccessible(page);
    await saveScreenshot(page, 'record-open-case-refused-desk');
    expect(page.url()).toMatch(/\/cases\/new$/);

    await arrangeCase(target, 'rec-hostile-02', 'rec-hostile-group');
    const version = await versionOf(target, 'rec-hostile-02');
    await page.goto(`${target.app}/cases/rec-hostile-02`);
    const detained = entryOf(page, 'Detained');
    await openActions(detained);
    await detained.getByRole('button', { name: 'Retract' }).click();
    await detained.getByLabel('Title of source 1 (required)').fill('Correction by the city police');
    await detained.getByRole('button', { name: 'Retract the event' }).click();
    expect(await messagesAt(page, 'Why it is retracted (required)')).not.toBe('');
    expect(await versionOf(target, 'rec-hostile-02')).toBe(version);

    // The case page leads to recording for the case's group.
    await page
      .getByRole('link', { name: 'Record one event for several cases of group rec-hostile-group' })
      .click();
    await page.waitForURL(/\/app\/groups\/rec-hostile-group\/record$/);
    await page.getByLabel('Select all').check();
    await fillVisit(page, '2025-07-03', 'Embassy\u001b staff');
    await page.getByRole('button', { name: 'Record for the chosen cases (1)' }).click();
    expect(await messagesAt(page, 'By whom (required)')).toMatch(/control character U\+001B/);
    await page.getByRole('alert').getByText('Not recorded.').waitFor();
    await expectAccessible(page);
    expect(await versionOf(target, 'rec-hostile-02')).toBe(version);
    await context.close();
  }, 180_000);

  it('retract an event with a reason, and show it struck through', async () => {
    await arrangeCase(target, 'rec-retract-01');
    // The reason is free text, sealed like a note: read back in clear by one with the personal-data scope.
    const { context, page } = await recordPage('rec-retract-01', {}, { ...recorder, pii: true });
    const detained = entryOf(page, 'Detained');
    // The ledger refuses to retract the opening of a case: its entry offers no action at all.
    await entryOf(page, 'Case opened').waitFor();
    expect(await entryOf(page, 'Case opened').getByText('Actions', { exact: true }).count()).toBe(0);
    await openActions(detained);
    await detained.getByRole('button', { name: 'Retract' }).click();
    await detained.getByRole('form', { name: 'Retract this event' }).waitFor();
    await detained.getByLabel('Why it is retracted (required)').fill('The source confused two people.');
    await detained.getByLabel('Title of source 1 (required)').fill('Correction by the city police');
    await expectAccessible(page);
    await saveScreenshot(page, 'record-retract-desk');
    await detained.getByRole('button', { name: 'Retract the event' }).click();
    await detained
      .getByText(/^Retracted on .+ by Rita Recorder: The source confused two people\.$/)
      .waitFor();
    await detained.getByRole('heading', { name: /retracted/ }).waitFor();
    // Read in the page: the struck-through look is the retraction's mark for a sighted reader.
    const decoration = await page.evaluate(
      `getComputedStyle(document.querySelector('.case-event article.retracted')).textDecorationLine`,
    );
    expect(decoration).toBe('line-through');
    const events = await eventsOf(target, 'rec-retract-01');
    expect(events.at(-1)).toMatchObject({
      type: 'Retracted',
      // The reason is sealed for a reader without the personal-data scope; the screen above read it in clear.
      data: { eventId: events[1]?.eventId, reason: '[sealed]' },
    });
    await context.close();
  }, 120_000);

  it('record one visit for eleven cases of a group in one step, and a retry records nothing twice', async () => {
    const caseIds = Array.from({ length: 11 }, (_, index) => `rec-grp-${String(index + 1).padStart(2, '0')}`);
    for (const caseId of caseIds) await arrangeCase(target, caseId, 'rec-eleven');
    const { context, page } = await newPage(target);
    await signIn(target, page, recorder, '/');
    await page.getByRole('navigation').getByRole('link', { name: 'Record for a group' }).click();
    // The board has a Group choice of its own: wait for the group screen before choosing.
    await page.waitForURL(/\/app\/groups\/record$/);
    await page.getByLabel('Group').selectOption('rec-eleven');
    await page.getByLabel('Select all').check();
    await page.getByText('Cases (11 of 11 chosen)').waitFor();
    await fillVisit(page, '2025-07-03', 'Embassy staff');
    await expectAccessible(page);
    await saveScreenshot(page, 'record-group-desk');

    // The first answer is lost on the way back: the retry sends the same key and records nothing twice.
    await page.route('**/groups/rec-eleven/events', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByRole('button', { name: 'Record for the chosen cases (11)' }).click();
    await page.getByText(/could not be reached/).waitFor();
    await page.unroute('**/groups/rec-eleven/events');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('Recorded: 0. Already recorded before: 11. Refused: 0.').waitFor();
    await page.getByRole('button', { name: 'Send again (records nothing twice)' }).click();
    await page.getByText('Recorded: 0. Already recorded before: 11. Refused: 0.').waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'record-group-results-desk');
    for (const caseId of caseIds) {
      const visits = (await eventsOf(target, caseId)).filter((event) => event.type === 'ConsularVisit');
      expect(
        visits.map((event) => event.data.by),
        caseId,
      ).toEqual(['Embassy staff']);
    }
    await context.close();
  }, 240_000);

  it('work in Russian at phone width', async () => {
    await arrangeCase(target, 'rec-ru-01');
    const { context, page } = await newPage(target, { locale: 'ru-RU', viewport: 'phone' });
    await signIn(target, page, recorder, '/cases/rec-ru-01');
    await page.getByRole('heading', { name: 'Записать событие' }).waitFor();
    await page.getByLabel('Когда это произошло (обязательно)').fill('2025-10?');
    await page.getByText(/2025/).first().waitFor();
    await page.getByRole('button', { name: 'Записать', exact: true }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'record-visit-form-phone-ru');
    await page.goto(`${target.app}/cases/new`);
    await page.getByRole('heading', { name: 'Открыть дело' }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'record-open-case-phone-ru');
    await page.goto(`${target.app}/groups/demo-riverside/record`);
    await page.getByRole('heading', { name: 'Запись для группы' }).waitFor();
    await page.getByLabel('Выбрать все').waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'record-group-phone-ru');
    await context.close();
  }, 120_000);

  it('work at phone width in English', async () => {
    await arrangeCase(target, 'rec-phone-01');
    const { context, page } = await recordPage('rec-phone-01', { viewport: 'phone' });
    // The form is far down a phone's screen: the link at the top of the case takes a recorder to it.
    const heading = page.getByRole('heading', { name: 'Record an event' });
    const viewportHeight = page.viewportSize()!.height;
    expect((await heading.boundingBox())!.y).toBeGreaterThan(viewportHeight);
    await page.getByRole('link', { name: 'Record an event on this case' }).click();
    await expect.poll(async () => (await heading.boundingBox())!.y).toBeLessThan(viewportHeight);
    await fillVisit(page, '2025-10?');
    await expectAccessible(page);
    await saveScreenshot(page, 'record-visit-form-phone');
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  }, 120_000);

  it('offer a viewer no record panel and no record links', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Vera Viewer', roles: ['viewer'] }, '/cases/demo-c01');
    await page.getByRole('heading', { name: 'Who and where' }).waitFor();
    await page.locator('.case-facts').waitFor();
    expect(await page.getByRole('heading', { name: 'Record an event' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Record', exact: true }).count()).toBe(0);
    const nav = page.getByRole('navigation');
    expect(await nav.getByRole('link', { name: 'Open a case' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Record for a group' }).count()).toBe(0);
    await expectAccessible(page);
    await context.close();
  }, 120_000);
});
