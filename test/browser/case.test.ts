import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymOf } from '../../functions/api/auth/personal-data.ts';
import type { Role } from '../../functions/api/auth/principal.ts';
import { DIGEST_SETTLE_MS } from '../../functions/store/digest-store.ts';
import { alterStoredEvent } from './support/alter-stored-event.ts';
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

let target: BrowserRuntime;

/** Calls the API directly, to arrange what a test needs without the screens. */
async function api(roles: readonly Role[], path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${target.runtime.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${await target.token(roles, true)}`,
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const record = (caseId: string, events: unknown[]) =>
  api(['recorder'], `/cases/${caseId}/events`, { method: 'POST', body: { events } });

/** A new context signed in as `who`, on the case page. */
async function openCase(who: SignInAs, caseId: string, options: PageOptions = {}, query = '') {
  const opened = await newPage(target, options);
  await signIn(target, opened.page, who, `/cases/${caseId}${query}`);
  await opened.page.getByRole('heading', { level: 1, name: new RegExp(caseId) }).waitFor();
  return opened;
}

const viewer: SignInAs = { name: 'Vera Viewer', roles: ['viewer'] };
const piiViewer: SignInAs = { name: 'Petra Reader', roles: ['viewer'], pii: true };
const auditor: SignInAs = { name: 'Otto Auditor', roles: ['auditor'], pii: true };
const admin: SignInAs = { name: 'Ada Admin', roles: ['admin'] };

const thisMonth = new Date().toISOString().slice(0, 7);
const today = new Date().toISOString().slice(0, 10);
// A day counts once it is over: a release dated yesterday counts now, one dated today is still pending.
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** The summary's "Who" value. */
const whoOf = (page: Page) => page.locator('.case-who');

beforeAll(async () => {
  target = await startBrowserRuntime({ demo: true });
  // A family contact some time this month, not over yet: the view lists it as pending.
  expect(
    (
      await record('demo-c03', [
        {
          type: 'FamilyContact',
          occurredAt: `${thisMonth}?`,
          sources: [{ title: 'Call from the family (invented)' }],
          data: { kind: 'call' },
        },
      ])
    ).status,
  ).toBe(201);
  // A visit recorded in error, then retracted with a reason.
  const wrong = await record('demo-c03', [
    {
      type: 'ConsularVisit',
      occurredAt: today,
      sources: [{ title: 'Misfiled note (invented)' }],
      data: { by: 'Consulate of Ruritania in Exampleton' },
    },
  ]);
  expect(wrong.status).toBe(201);
  const retracted = await record('demo-c03', [
    {
      type: 'Retracted',
      occurredAt: today,
      sources: [{ title: 'Desk review (invented)' }],
      data: { eventId: wrong.body.events[0].eventId, reason: 'Entered on the wrong case' },
    },
  ]);
  expect(retracted.status).toBe(201);
  await target.runtime.projected();
}, 240_000);
afterAll(() => target?.stop());

describe('the case page', () => {
  it('shows a viewer the status, the timeline and the pseudonym, never the name nor the history', async () => {
    for (const viewport of ['desk', 'phone'] as const) {
      const { context, page, pageErrors } = await openCase(viewer, 'demo-c01', { viewport });
      await expect.poll(() => whoOf(page).textContent()).toBe(pseudonymOf('demo-c01'));
      await expect.poll(() => page.locator('.case-facts').textContent()).toMatch(/Detained \(pre-trial\)/);
      expect(await page.getByText('Exampleton Pre-trial Centre No. 1').count()).toBeGreaterThan(0);
      const timeline = page.getByRole('table', { name: 'The status history in words' });
      await expect.poll(() => timeline.getByRole('row').count()).toBeGreaterThan(1);
      await page.getByText('The history of events needs the auditor role.').waitFor();
      expect(await page.content()).not.toContain('Ada Example');
      expect(await page.getByRole('heading', { name: 'Erase personal data' }).count()).toBe(0);
      expect(await page.getByLabel('Known at').count()).toBe(0);
      await expectAccessible(page);
      await saveScreenshot(page, `case-viewer-${viewport}`);
      expect(pageErrors).toEqual([]);
      await context.close();
    }
  });

  it('shows the name to a reader with personal-data access', async () => {
    const { context, page } = await openCase(piiViewer, 'demo-c01');
    await expect.poll(() => whoOf(page).textContent()).toBe('Ada Example');
    await expect.poll(() => page.locator('.case-facts').textContent()).toContain('journalist');
    await expectAccessible(page);
    await context.close();
  });

  it('shows an auditor the events with sources, recorded by and at, the pending one in words, the retracted one struck through', async () => {
    for (const viewport of ['desk', 'phone'] as const) {
      const { context, page } = await openCase(auditor, 'demo-c03', { viewport });
      const events = page.getByRole('region', { name: 'Events, in the order they occurred' });
      await events.getByRole('heading', { name: /Family contact/ }).waitFor();
      const pending = events
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: /Family contact/ }) });
      expect(await pending.textContent()).toMatch(/pending/);
      const month = new Intl.DateTimeFormat('en-GB', {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(`${thisMonth}-01T00:00:00Z`));
      expect(await pending.textContent()).toContain(`some time in ${month} (uncertain)`);
      expect(await pending.textContent()).toMatch(/from 1 \w+ \d{4} to \d{2} \w+ \d{4}/);
      const link = events
        .getByRole('link', { name: 'Dozens held after riverside protest in Exampleton' })
        .first();
      expect(await link.getAttribute('href')).toBe('https://example.org/news/riverside-arrests');
      expect(await events.textContent()).toMatch(/Recorded on .+ by test-arranger \(version 1\)/);
      const struck = page.locator('article.retracted');
      expect(await struck.count()).toBe(1);
      expect(await struck.textContent()).toContain('Misfiled note (invented)');
      expect(await events.textContent()).toContain('Entered on the wrong case');
      await page.locator('.badge-ok').waitFor();
      expect(await page.locator('.badge-ok').textContent()).toMatch(/^Chain verified/);
      await expectAccessible(page);
      await saveScreenshot(page, `case-auditor-${viewport}`);
      await context.close();
    }
  });

  it('shows an auditor without personal-data access the sources as sealed, in words', async () => {
    const { context, page } = await openCase({ name: 'Sam Sealed', roles: ['auditor'] }, 'demo-c01');
    await page.getByRole('heading', { name: 'Events, in the order they occurred' }).waitFor();
    await page.getByText('sealed — needs personal-data access').first().waitFor();
    expect(await page.getByRole('link', { name: /Dozens held/ }).count()).toBe(0);
    await context.close();
  });

  it('with "Known at" before a later record, hides it from the view, says so, and lists it apart', async () => {
    const before = new Date();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(
      (
        await record('demo-c06', [
          {
            type: 'Released',
            occurredAt: yesterday,
            sources: [{ title: 'Lawyer’s message (invented)' }],
            data: { mode: 'bail', announced: true },
          },
        ])
      ).status,
    ).toBe(201);
    await target.runtime.projected();
    const { context, page } = await openCase(auditor, 'demo-c06');
    await expect.poll(() => page.locator('.case-facts').textContent()).toMatch(/Released/);
    const knownAt = new Date(Math.floor(before.getTime() / 1000) * 1000).toISOString().slice(0, 19);
    await page.getByLabel('Known at').fill(knownAt);
    await page.getByText(/You are reading what the ledger knew at/).waitFor();
    expect(page.url()).toContain('knownAt=');
    await expect.poll(() => page.locator('.case-facts').textContent()).toMatch(/Detained \(pre-trial\)/);
    // The chart marks what the ledger knew then: the five events before, not the release recorded after.
    await page.getByText('The ticks under the bands mark the 5 events of the case.').waitFor();
    const later = page.getByRole('region', { name: 'Recorded later' });
    await later.getByRole('heading', { name: /^Released/ }).waitFor();
    const known = page.getByRole('region', { name: 'Events, in the order they occurred' });
    expect(
      await known
        .locator('> .event-list')
        .getByRole('heading', { name: /^Released/ })
        .count(),
    ).toBe(0);
    await expectAccessible(page);
    await saveScreenshot(page, 'case-known-at-desk');
    await context.close();
  });

  it('"As of" an earlier day shows what was true then, in the address; offline it says so', async () => {
    const { context, page } = await openCase(viewer, 'demo-c02', {}, '');
    await expect.poll(() => page.locator('.case-facts').textContent()).toMatch(/Released/);
    const earlier = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('As of').fill(earlier);
    await expect.poll(() => page.locator('.case-facts').textContent()).toMatch(/Detained \(pre-trial\)/);
    expect(page.url()).toContain(`asOf=${earlier}`);
    // Offline, a new question waits and says why rather than spinning.
    await context.setOffline(true);
    await page.getByLabel('As of').fill(new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10));
    await page.locator('.state-offline').waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'case-offline-desk');
    await context.setOffline(false);
    await expect.poll(() => page.locator('.case-facts').count()).toBe(1);
    await context.close();
  });

  it('shows a broken chain red after an event is altered behind the API', async () => {
    await alterStoredEvent(target, { caseId: 'demo-c04', version: 3 }, 'occurredAt', '2020-01-01');
    const { context, page } = await openCase(auditor, 'demo-c04');
    const broken = page.getByRole('alert').filter({ hasText: 'Chain broken at version 3' });
    await broken.waitFor();
    expect(await broken.getAttribute('class')).toContain('badge-broken');
    await expectAccessible(page);
    await saveScreenshot(page, 'case-chain-broken-desk');
    await context.close();
  });

  it('downloads the inclusion proof, offering to take a digest when there is none yet', async () => {
    // A digest leaves what was recorded in its last settling moments to the next one: let them pass.
    const recorded = (await api(['auditor'], '/cases/demo-c05/events')).body.events.map(
      (event: { recordedAt: string }) => Date.parse(event.recordedAt),
    );
    const settled = Math.max(...recorded) + DIGEST_SETTLE_MS + 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, settled - Date.now())));
    const { context, page } = await openCase(auditor, 'demo-c05');
    await page.getByRole('button', { name: 'Download inclusion proof' }).click();
    await page.getByText(/There is no digest of the ledger holding this case yet/).waitFor();
    await page.getByRole('button', { name: 'Take a digest now' }).click();
    await page.getByText(/Digest 1 was taken/).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download inclusion proof' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('demo-c05-inclusion-proof.json');
    const proof = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(proof.leaf.caseId).toBe('demo-c05');
    expect(proof.digest.sequence).toBe(1);
    await context.close();
  });

  it('offers no erasure to anyone but an admin', async () => {
    const { context, page } = await openCase(
      { name: 'Rita Everything', roles: ['viewer', 'recorder', 'auditor'], pii: true },
      'demo-c02',
    );
    await page.getByRole('heading', { name: 'Events, in the order they occurred' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Erase personal data' }).count()).toBe(0);
    await context.close();
  });

  it('erases as admin: a wrong confirmation or a hostile reason records nothing; then the name reads [erased]', async () => {
    const versionOf = async () => (await api(['viewer'], '/cases/demo-c06')).body.version as number;
    const versionBefore = await versionOf();
    const { context, page } = await openCase(admin, 'demo-c06', { viewport: 'phone' });
    await expect.poll(() => whoOf(page).textContent()).toBe('Fay Madeup');
    const erase = page.getByRole('region', { name: 'Erase personal data' });
    await erase.getByLabel('Reason for the erasure').fill('Request of the person (invented)');
    await erase.getByLabel(/Type the case id/).fill('demo-c05');
    await erase.getByRole('button', { name: 'Erase personal data' }).click();
    await erase.getByText('The confirmation does not match: type demo-c06 exactly.').waitFor();
    // A reason longer than the ledger takes: the API's own words, at the field.
    await erase.getByLabel('Reason for the erasure').fill('x'.repeat(2001));
    await erase.getByLabel(/Type the case id/).fill('demo-c06');
    await erase.getByRole('button', { name: 'Erase personal data' }).click();
    await erase.locator('.field-error').first().waitFor();
    expect(await erase.getByLabel('Reason for the erasure').getAttribute('aria-invalid')).toBe('true');
    expect(await versionOf()).toBe(versionBefore);
    expect(await whoOf(page).textContent()).toBe('Fay Madeup');
    await saveScreenshot(page, 'case-erase-refused-phone');

    await erase.getByLabel('Reason for the erasure').fill('Request of the person (invented)');
    await erase.getByRole('button', { name: 'Erase personal data' }).click();
    await erase.getByText(/Erased: the ledger recorded the erasure as version/).waitFor();
    await expect.poll(() => whoOf(page).textContent()).toBe('[erased]');
    await expectAccessible(page);
    await saveScreenshot(page, 'case-erased-phone');
    await context.close();
  });

  it('says when a case does not exist', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, viewer, '/cases/demo-none');
    await page.getByText('There is no case demo-none in the ledger.', { exact: false }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'case-unknown-desk');
    await context.close();
  });

  it('shows the API’s refusal of a hostile clock in the address, and nothing else', async () => {
    const { context, page } = await openCase(viewer, 'demo-c01');
    await page.goto(`${target.app}/cases/demo-c01?asOf=2026-13-45%3Cscript%3E`);
    const refusal = page.locator('.state-error[role=alert]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/asOf/);
    expect(await page.locator('.case-facts').count()).toBe(0);
    await page.getByText('You are reading what was true on 2026-13-45<script>.').waitFor();
    await expectAccessible(page);
    await context.close();
  });

  it('reads in Russian, at desk and phone widths', async () => {
    for (const viewport of ['desk', 'phone'] as const) {
      const { context, page } = await openCase(auditor, 'demo-c03', { viewport, locale: 'ru-RU' });
      await page.getByRole('heading', { name: 'Кто и где' }).waitFor();
      await page.getByRole('heading', { name: 'События в порядке, в котором они произошли' }).waitFor();
      await expect.poll(() => page.locator('.case-facts').textContent()).toMatch(/Освобождён|Задержан/);
      expect(await page.getByText('ожидает', { exact: true }).count()).toBeGreaterThan(0);
      await expectAccessible(page);
      await saveScreenshot(page, `case-ru-${viewport}`);
      await context.close();
    }
  });
});
