import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GROUP_ID } from '../../local/demo-data.ts';
import { formatsFor } from '../../web/src/i18n/format.ts';
import { resources } from '../../web/src/i18n/resources.ts';
import {
  type BrowserRuntime,
  expectAccessible,
  newPage,
  saveScreenshot,
  signIn,
  startBrowserRuntime,
} from './support/browser-runtime.ts';
import { scrollWidth } from './support/page-state.ts';

let target: BrowserRuntime;
let readToken: string;

const en = formatsFor('en-GB');
const DAY_MS = 86_400_000;
const dayBefore = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
const TODAY = dayBefore(0);
const HELD = ['detained', 'house_arrest', 'sentenced'] as const;
const STATUS_WORDS = resources.en.events.statuses;
type Status = keyof typeof STATUS_WORDS;

interface Summary {
  total: number;
  byStatus: Partial<Record<Status, number>>;
}
interface CaseList {
  cases: { caseId: string; status: Status; facility: string | null; nationality: string | null }[];
  nextCursor?: string;
}

/** Asks the API itself, as the board should have: what the screen shows is held to these answers. */
async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${target.runtime.url}${path}`, {
    headers: { authorization: `Bearer ${readToken}` },
  });
  return (await response.json()) as T;
}

/** The board's counts as shown: each term with its number. */
async function shownCounts(page: Page): Promise<Record<string, string>> {
  const counts = page.getByRole('region', { name: /^(Counts as of|Численность на)/ });
  const terms = await counts.getByRole('term').allTextContents();
  const numbers = await counts.getByRole('definition').allTextContents();
  return Object.fromEntries(terms.map((term, index) => [term, numbers[index] ?? '']));
}

function countsOf(summary: Summary): Record<string, string> {
  return {
    'All cases': String(summary.total),
    ...Object.fromEntries(
      (Object.keys(STATUS_WORDS) as Status[]).map((status) => [
        STATUS_WORDS[status],
        String(summary.byStatus[status] ?? 0),
      ]),
    ),
  };
}

const heldOf = (summary: Summary) => HELD.reduce((sum, status) => sum + (summary.byStatus[status] ?? 0), 0);

/** The case ids of the rows of the list on screen, in their order. */
function shownCaseIds(page: Page): Promise<string[]> {
  return page.getByRole('table', { name: 'Cases, as recorded now' }).getByRole('rowheader').allTextContents();
}

async function openBoard(page: Page, search = `?group=${DEMO_GROUP_ID}`): Promise<void> {
  await page.goto(`${target.app}/${search}`);
  await page.getByRole('heading', { level: 1, name: 'Board' }).waitFor();
}

beforeAll(async () => {
  target = await startBrowserRuntime({ demo: true });
  readToken = await target.token(['viewer']);
}, 180_000);

afterAll(async () => {
  await target?.stop();
});

describe('the board', () => {
  it("shows a viewer the demo group's counts, chart and its table, alerts and cases, as of today", async () => {
    const { context, page, pageErrors } = await newPage(target);
    await signIn(target, page, { name: 'Board Viewer', roles: ['viewer'] }, `/?group=${DEMO_GROUP_ID}`);
    const summary = await apiGet<Summary>(`/summary?groupId=${DEMO_GROUP_ID}&asOf=${TODAY}`);
    const alerts = await apiGet<{ alerts: { caseId: string; kind: string }[] }>(
      `/alerts?groupId=${DEMO_GROUP_ID}&asOf=${TODAY}`,
    );
    const series = await apiGet<{ days: { day: string; held: number }[] }>(
      `/summary/series?groupId=${DEMO_GROUP_ID}`,
    );
    expect(summary.total).toBe(6);
    expect(alerts.alerts.length).toBeGreaterThan(0);

    await expect.poll(() => page.getByLabel('Group', { exact: true }).inputValue()).toBe(DEMO_GROUP_ID);
    expect(await page.getByLabel('As of', { exact: true }).inputValue()).toBe(TODAY);
    await page.getByRole('heading', { name: `Counts as of ${en.day(TODAY)}` }).waitFor();
    await expect.poll(() => shownCounts(page)).toEqual(countsOf(summary));

    const chart = page.getByRole('region', { name: 'People held each day' });
    await chart.locator('svg[aria-label]').first().waitFor();
    await expect
      .poll(() => chart.locator('figcaption').textContent())
      .toContain(`On ${en.day(TODAY)}, people held: ${heldOf(summary)}.`);
    await chart.getByText('The chart as a table').click();
    const dataTable = chart.getByRole('table', { name: 'People held each day, by status' });
    await expect.poll(() => dataTable.getByRole('row').count()).toBe(series.days.length + 1);

    const shownAlerts = page
      .getByRole('region', { name: `Alerts as of ${en.day(TODAY)}` })
      .getByRole('listitem');
    await expect.poll(() => shownAlerts.count()).toBe(alerts.alerts.length);
    const first = alerts.alerts[0]!;
    expect(await shownAlerts.first().getByRole('link').getAttribute('href')).toBe(
      `/app/cases/${first.caseId}`,
    );
    const kindWords: Record<string, string> = resources.en.events.alerts;
    expect(await shownAlerts.first().textContent()).toContain(kindWords[first.kind]);

    await expect
      .poll(() => shownCaseIds(page))
      .toEqual(['demo-c01', 'demo-c02', 'demo-c03', 'demo-c04', 'demo-c05', 'demo-c06']);
    await page.getByText('The list shows cases as they are recorded now').waitFor();
    // A viewer may not open a case: it is offered nowhere on the board.
    expect(await page.getByRole('link', { name: 'Open a case' }).count()).toBe(0);

    await expectAccessible(page);
    await saveScreenshot(page, 'board-today-desk');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('follows "As of" to a past day: the counts, the alerts and the chart\'s marked day change with it', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Board Viewer', roles: ['viewer'] }, `/?group=${DEMO_GROUP_ID}`);
    await page.getByRole('heading', { name: `Counts as of ${en.day(TODAY)}` }).waitFor();
    const past = dayBefore(120);
    const then = await apiGet<Summary>(`/summary?groupId=${DEMO_GROUP_ID}&asOf=${past}`);
    const now = await apiGet<Summary>(`/summary?groupId=${DEMO_GROUP_ID}&asOf=${TODAY}`);
    expect(countsOf(then)).not.toEqual(countsOf(now));

    await page.getByLabel('As of', { exact: true }).fill(past);
    await page.waitForURL((url) => url.searchParams.get('asOf') === past);
    await page.getByRole('heading', { name: `Counts as of ${en.day(past)}` }).waitFor();
    await expect.poll(() => shownCounts(page)).toEqual(countsOf(then));
    const caption = page.getByRole('region', { name: 'People held each day' }).locator('figcaption');
    await expect.poll(() => caption.textContent()).toContain(`The dark line marks ${en.day(past)}.`);
    await expect
      .poll(() => caption.textContent())
      .toContain(`On ${en.day(past)}, people held: ${heldOf(then)}.`);
    await page.getByRole('region', { name: `Alerts as of ${en.day(past)}` }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'board-past-desk');

    // The choice is the URL's: back returns to today's board.
    await page.goBack();
    await page.getByRole('heading', { name: `Counts as of ${en.day(TODAY)}` }).waitFor();
    await expect.poll(() => shownCounts(page)).toEqual(countsOf(now));
    await context.close();
  });

  it('narrows the list by status, facility and nationality, and orders it by custody term', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Board Viewer', roles: ['viewer'] }, `/?group=${DEMO_GROUP_ID}`);
    const all = await apiGet<CaseList>(`/cases?groupId=${DEMO_GROUP_ID}`);
    await expect.poll(() => shownCaseIds(page)).toHaveLength(all.cases.length);

    const sentenced = all.cases.filter((view) => view.status === 'sentenced').map((view) => view.caseId);
    expect(sentenced.length).toBeGreaterThan(0);
    expect(sentenced.length).toBeLessThan(all.cases.length);
    await page.getByLabel('Status', { exact: true }).selectOption('sentenced');
    await page.waitForURL((url) => url.searchParams.get('status') === 'sentenced');
    await expect.poll(() => shownCaseIds(page)).toEqual(sentenced);
    await page.getByLabel('Status', { exact: true }).selectOption('');

    const facility = all.cases.find((view) => view.status === 'detained')?.facility;
    expect(facility).toBeTruthy();
    const atFacility = all.cases.filter((view) => view.facility === facility).map((view) => view.caseId);
    await page.getByLabel('Facility', { exact: true }).selectOption(facility!);
    await expect.poll(() => shownCaseIds(page)).toEqual(atFacility);
    await page.getByLabel('Facility', { exact: true }).selectOption('');
    await expect.poll(() => shownCaseIds(page)).toHaveLength(all.cases.length);

    const nationality = all.cases[0]!.nationality!;
    const ofNationality = all.cases
      .filter((view) => view.nationality === nationality)
      .map((view) => view.caseId);
    await page.getByLabel('Nationality', { exact: true }).selectOption(nationality);
    await expect.poll(() => shownCaseIds(page)).toEqual(ofNationality);
    await page.getByLabel('Nationality', { exact: true }).selectOption('');

    const byTerm = await apiGet<CaseList>(`/cases?groupId=${DEMO_GROUP_ID}&sort=custodyUntil`);
    const termOrder = byTerm.cases.map((view) => view.caseId);
    expect(termOrder).not.toEqual(all.cases.map((view) => view.caseId));
    await page.getByLabel('Order').selectOption('custodyUntil');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'custodyUntil');
    await expect.poll(() => shownCaseIds(page)).toEqual(termOrder);
    await expectAccessible(page);
    await context.close();
  });

  it('exports the listed cases as a CSV file with its header and a row per case', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Board Viewer', roles: ['viewer'] }, `/?group=${DEMO_GROUP_ID}`);
    await expect.poll(() => shownCaseIds(page)).toHaveLength(6);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`cases-${DEMO_GROUP_ID}-${TODAY}.csv`);
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/caseId/);
    expect(lines).toHaveLength(7);
    for (const caseId of await shownCaseIds(page)) expect(text).toContain(caseId);
    await context.close();
  });

  it("shows the API's own detail for a hand-typed As of it refuses", async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Board Viewer', roles: ['viewer'] });
    const refusal = await fetch(`${target.runtime.url}/summary?asOf=2025-13-45`, {
      headers: { authorization: `Bearer ${readToken}` },
    });
    expect(refusal.status).toBe(400);
    const { detail } = (await refusal.json()) as { detail: string };
    expect(detail).toBeTruthy();
    await openBoard(page, `?group=${DEMO_GROUP_ID}&asOf=2025-13-45`);
    const counts = page.getByRole('region', { name: /^Counts as of/ });
    await expect.poll(() => counts.getByRole('alert').textContent()).toContain(detail);
    await expectAccessible(page);
    await saveScreenshot(page, 'board-error-desk');
    await context.close();
  });

  it('says it is offline, and asks nothing, when the connection is gone', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Board Viewer', roles: ['viewer'] }, `/?group=${DEMO_GROUP_ID}`);
    await expect.poll(() => shownCaseIds(page)).toHaveLength(6);
    await context.setOffline(true);
    const askedOffline: string[] = [];
    page.on('request', (request) => askedOffline.push(request.url()));
    await page.getByLabel('As of', { exact: true }).fill(dayBefore(30));
    const counts = page.getByRole('region', { name: /^Counts as of/ });
    await counts.getByText(/You are offline/).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /You are offline/ })
      .first()
      .waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'board-offline-desk');
    // Paused, not failed: no question went out while the connection was gone.
    expect(askedOffline).toEqual([]);
    await context.setOffline(false);
    await counts.getByRole('term').first().waitFor();
    await context.close();
  });

  it('reads in Russian, dates and statuses included', async () => {
    const { context, page } = await newPage(target, { locale: 'ru-RU' });
    await signIn(target, page, { name: 'Консул Пример', roles: ['viewer'] }, `/?group=${DEMO_GROUP_ID}`);
    const ru = formatsFor('ru-RU');
    await page.getByRole('heading', { level: 1, name: 'Сводка' }).waitFor();
    await page.getByRole('heading', { name: `Численность на ${ru.day(TODAY)}` }).waitFor();
    await expect
      .poll(async () => Object.keys(await shownCounts(page)))
      .toContain(resources.ru.events.statuses.detained);
    await page.getByLabel('На дату', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Выгрузить CSV' }).waitFor();
    await page
      .getByRole('region', { name: 'Сколько людей под стражей по дням' })
      .locator('svg')
      .first()
      .waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'board-ru-desk');
    await context.close();
  });

  it('fits a phone, without sideways scrolling of the page', async () => {
    const { context, page } = await newPage(target, { viewport: 'phone' });
    await signIn(target, page, { name: 'Board Viewer', roles: ['viewer'] }, `/?group=${DEMO_GROUP_ID}`);
    await expect.poll(() => shownCaseIds(page)).toHaveLength(6);
    await page
      .getByRole('region', { name: 'People held each day' })
      .locator('svg[aria-label]')
      .first()
      .waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await expectAccessible(page);
    await saveScreenshot(page, 'board-today-phone');
    await context.close();
  });

  it('tells a recorder of an empty group to open a case, and a viewer only that it is empty', async () => {
    const empty = '?group=no-cases-yet';
    const recorder = await newPage(target);
    await signIn(
      target,
      recorder.page,
      { name: 'Desk Recorder', roles: ['viewer', 'recorder'] },
      `/${empty}`,
    );
    const main = recorder.page.getByRole('main');
    await main.getByText('There are no cases in this group yet.').waitFor();
    await main.getByText('No one in this group has been in custody yet.').waitFor();
    expect(await main.getByRole('region', { name: 'People held each day' }).locator('svg').count()).toBe(0);
    expect(await main.getByRole('link', { name: 'Open a case' }).getAttribute('href')).toBe(
      '/app/cases/new?group=no-cases-yet',
    );
    await expectAccessible(recorder.page);
    await saveScreenshot(recorder.page, 'board-empty-desk');
    // The link leads to the form with the group already chosen.
    await main.getByRole('link', { name: 'Open a case' }).click();
    await recorder.page.waitForURL(/\/app\/cases\/new\?group=no-cases-yet$/);
    await expect
      .poll(() => recorder.page.getByLabel('Group', { exact: true }).inputValue())
      .toBe('no-cases-yet');
    await recorder.context.close();

    const viewer = await newPage(target);
    await signIn(target, viewer.page, { name: 'Board Viewer', roles: ['viewer'] }, `/${empty}`);
    await viewer.page.getByText('There are no cases in this group yet.').waitFor();
    expect(await viewer.page.getByRole('link', { name: 'Open a case' }).count()).toBe(0);
    await viewer.context.close();
  });

  it('tells a recorder who may not read the views so, and offers what they may do', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Only Recorder', roles: ['recorder'] });
    const main = page.getByRole('main');
    await main.getByText('Your roles do not include reading the board').waitFor();
    expect(await main.getByRole('link', { name: 'Open a case' }).count()).toBe(1);
    expect(await main.getByRole('alert').count()).toBe(0);
    await context.close();
  });

  it('pages through more cases than fit a page, by the API\u2019s cursors, forward and back', async () => {
    const group = 'paging-check';
    const recorderToken = await target.token(['recorder']);
    const ids = Array.from({ length: 60 }, (_, index) => `pg-${String(index + 1).padStart(3, '0')}`);
    for (const caseId of ids) {
      const response = await fetch(`${target.runtime.url}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${recorderToken}` },
        body: JSON.stringify({ caseId, groupId: group, subject: { name: `Invented Person ${caseId}` } }),
      });
      expect(response.status).toBe(201);
    }
    await target.runtime.projected();

    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Board Viewer', roles: ['viewer'] }, `/?group=${group}&limit=25`);
    await expect.poll(() => shownCaseIds(page)).toEqual(ids.slice(0, 25));
    const previous = page.getByRole('button', { name: 'Previous' });
    const next = page.getByRole('button', { name: 'Next' });
    expect(await previous.isDisabled()).toBe(true);
    await next.click();
    await expect.poll(() => shownCaseIds(page)).toEqual(ids.slice(25, 50));
    // By keyboard alone, as well as by pointer.
    await next.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => shownCaseIds(page)).toEqual(ids.slice(50));
    expect(await next.isDisabled()).toBe(true);
    await page.getByText('Page 3').waitFor();
    await expectAccessible(page);
    await previous.click();
    await expect.poll(() => shownCaseIds(page)).toEqual(ids.slice(25, 50));
    // The page is in the URL: a shared link opens on it, and back steps to the page before.
    await page.goBack();
    await expect.poll(() => shownCaseIds(page)).toEqual(ids.slice(50));
    await page.getByLabel('Cases per page').selectOption('10');
    await expect.poll(() => shownCaseIds(page)).toEqual(ids.slice(0, 10));
    await context.close();
  });
});
