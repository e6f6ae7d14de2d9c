import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_SETTLE_MS } from '../../functions/store/digest-store.ts';
import { alterStoredDigest, alterStoredEvent } from './support/alter-behind-api.ts';
import {
  type BrowserRuntime,
  expectAccessible,
  newPage,
  saveScreenshot,
  signIn,
  startBrowserRuntime,
  VIEWPORTS,
} from './support/browser-runtime.ts';
import { scrollWidth } from './support/page-state.ts';

let target: BrowserRuntime;
/** When the demo finished loading: a digest taken before the settling time after it would miss its events. */
let demoLoadedAt: number;
let files: string;

interface FeedEvent {
  readonly streamId: string;
  readonly version: number;
  readonly recordedAt: string;
}

/** The whole feed as the API answers it: what the screen must show, in this order. */
let feed: FeedEvent[];

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${target.runtime.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${await target.token(['auditor'])}`, ...init.headers },
  });
  return { status: response.status, body: (await response.json()) as T };
}

beforeAll(async () => {
  target = await startBrowserRuntime({ demo: true });
  demoLoadedAt = Date.now();
  files = await mkdtemp(join(tmpdir(), 'audit-ledger-'));
  // The audit index is eventually consistent: wait until it holds every event the demo recorded.
  const expected = (await api<{ cases: { version: number }[] }>('/cases?limit=100')).body.cases.reduce(
    (sum, item) => sum + item.version,
    0,
  );
  for (let attempt = 0; ; attempt++) {
    feed = (await api<{ events: FeedEvent[] }>(`/audit?from=${yesterday()}&limit=1000`)).body.events;
    if (feed.length === expected) break;
    if (attempt === 50) throw new Error(`the audit feed holds ${feed.length} of ${expected} events`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 120_000);

afterAll(async () => {
  await target?.stop();
  if (files) await rm(files, { recursive: true, force: true });
});

/** What the feed's table shows, row by row: the case link's text and href, and the recorded instant. */
async function feedRows(page: Page) {
  const rows = page.getByRole('table').getByRole('row');
  const count = await rows.count();
  const shown: { caseId: string; href: string | null; recordedAt: string | null }[] = [];
  for (let i = 1; i < count; i++) {
    const row = rows.nth(i);
    const link = row.getByRole('link');
    shown.push({
      caseId: (await link.textContent()) ?? '',
      href: await link.getAttribute('href'),
      recordedAt: await row.locator('time').getAttribute('datetime'),
    });
  }
  return shown;
}

async function openAudit(page: Page, query = '') {
  await signIn(target, page, { name: 'Auditor Ayla Test', roles: ['auditor'] }, `/audit${query}`);
  await page.getByRole('heading', { level: 1, name: /^(Audit|Аудит)$/ }).waitFor();
}

describe('the audit feed', () => {
  it("shows the demo's events in recorded order, each linking to its case", async () => {
    const { context, page, pageErrors } = await newPage(target);
    await openAudit(page);
    await page.getByRole('table').waitFor();
    const rows = await feedRows(page);
    expect(rows.map((row) => row.caseId)).toEqual(feed.map((event) => event.streamId));
    expect(rows.map((row) => row.recordedAt)).toEqual(feed.map((event) => event.recordedAt));
    const instants = rows.map((row) => Date.parse(row.recordedAt ?? ''));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    for (const row of rows) expect(row.href).toBe(`/app/cases/${row.caseId}`);
    expect(new Set(rows.map((row) => row.caseId))).toEqual(
      new Set(['demo-c01', 'demo-c02', 'demo-c03', 'demo-c04', 'demo-c05', 'demo-c06']),
    );
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Events shown:' }).textContent())
      .toBe(`Events shown: ${feed.length}. That is every event in this range.`);
    // Who recorded it and what it says happened, in words.
    const first = page.getByRole('table').getByRole('row').nth(1);
    await expect.poll(() => first.textContent()).toMatch(/test-arranger.*demo-c0\d.*Case opened/);
    await expectAccessible(page);
    await saveScreenshot(page, 'audit-feed-desk');

    await page.getByRole('table').getByRole('link').first().click();
    await page.waitForURL(new RegExp(`/app/cases/${feed[0]!.streamId}$`));
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('narrows to a range from the URL and from the form, and says when nothing was recorded in it', async () => {
    const { context, page } = await newPage(target);
    // From the moment the later updates were recorded: only they remain.
    const later = feed.at(-1)!.recordedAt;
    const narrowed = feed.filter((event) => event.recordedAt >= later);
    expect(narrowed.length).toBeLessThan(feed.length);
    await openAudit(page, `?from=${encodeURIComponent(later)}`);
    await page.getByRole('table').waitFor();
    expect((await feedRows(page)).map((row) => row.caseId)).toEqual(narrowed.map((event) => event.streamId));
    expect(await page.getByLabel('From').inputValue()).toBe(later);

    await page.getByLabel('From').fill('2020-01-01');
    await page.getByLabel('To').fill('2020-01-31');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/\/app\/audit\?from=2020-01-01&to=2020-01-31$/);
    await page.getByText('Nothing was recorded between 1 January 2020 and 31 January 2020.').waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await expectAccessible(page);
    await saveScreenshot(page, 'audit-empty-desk');

    await page.goBack();
    await page.getByRole('table').waitFor();
    expect(await page.getByLabel('From').inputValue()).toBe(later);
    await context.close();
  });

  it("puts the API's words at the field for a range it refuses, and shows no events", async () => {
    const { context, page } = await newPage(target);
    await openAudit(page);
    await page.getByRole('table').waitFor();
    await page.getByLabel('From').fill('<script>alert(1)</script>');
    await page.getByRole('button', { name: 'Show' }).click();
    const from = page.getByLabel('From');
    await expect.poll(() => from.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('table').count()).toBe(0);
    const fromError = page.locator('.field-error');
    await expect.poll(() => fromError.textContent()).toMatch(/a day \(2025-06-30\), month, year or instant/);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/from/);
    expect(await page.getByText('alert(1)').count()).toBe(0);
    await expectAccessible(page);
    await saveScreenshot(page, 'audit-bad-range-desk');

    await page.getByLabel('From').fill('2026-03-01');
    await page.getByLabel('To').fill('2026-02-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByLabel('To').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('.field-error').textContent()).toBe('must not be before from');
    expect(await page.getByLabel('From').getAttribute('aria-invalid')).toBe('false');
    await context.close();
  });

  it("pages through the feed with the API's cursors, in order, with nothing twice", async () => {
    const { context, page } = await newPage(target);
    await openAudit(page, '?limit=10');
    await page.getByRole('table').waitFor();
    expect((await feedRows(page)).length).toBe(10);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Events shown' }).textContent())
      .toBe('Events shown so far: 10. There are more.');
    while ((await page.getByRole('button', { name: 'Load more' }).count()) > 0) {
      const before = (await feedRows(page)).length;
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(async () => (await feedRows(page)).length).toBeGreaterThan(before);
    }
    expect((await feedRows(page)).map((row) => row.recordedAt)).toEqual(
      feed.map((event) => event.recordedAt),
    );
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Events shown' }).textContent())
      .toBe(`Events shown: ${feed.length}. That is every event in this range.`);
    await context.close();
  });

  it('says it is offline instead of spinning when a range is asked without a connection', async () => {
    const { context, page } = await newPage(target);
    await openAudit(page);
    await page.getByRole('table').waitFor();
    await context.setOffline(true);
    await page.getByLabel('From').fill('2026-01-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('main .state-offline').waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'You are offline' }).count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, 'audit-offline-desk');
    await context.setOffline(false);
    await page.getByRole('table').waitFor();
    await context.close();
  });

  it('reads in Russian on a phone, without sideways scrolling', async () => {
    const { context, page } = await newPage(target, { viewport: 'phone', locale: 'ru-RU' });
    await openAudit(page);
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'Показать' }).waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Показано событий' }).count()).toBe(1);
    expect(await page.getByRole('table').getByRole('row').nth(1).textContent()).toMatch(/Дело открыто/);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await expectAccessible(page);
    await saveScreenshot(page, 'audit-feed-phone-ru');

    await page.getByLabel('С', { exact: true }).fill('2020-01-01');
    await page.getByLabel('По', { exact: true }).fill('2020-01-31');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.getByText(/^Ничего не записано с 1 января 2020/).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'audit-empty-phone-ru');
    await context.close();
  });
});

interface Proof {
  digest: { sequence: number; root: string };
  leaf: { caseId: string; version: number; hash: string };
  path: string[];
}

async function openLedger(page: Page) {
  await signIn(target, page, { name: 'Auditor Ayla Test', roles: ['auditor'] }, '/ledger');
  await page.getByRole('heading', { level: 1, name: /^(Ledger|Реестр)$/ }).waitFor();
}

/** The verdict's red: the danger colour, so a broken proof can never look like a good one. */
function backgroundOf(page: Page, selector: string): Promise<string> {
  const element = `document.querySelector(${JSON.stringify(selector)})`;
  return page.evaluate(`getComputedStyle(${element}).backgroundColor`) as Promise<string>;
}

describe('the ledger page', () => {
  it('says no digest was taken yet, takes one, and shows it in words', async () => {
    const { context, page, pageErrors } = await newPage(target);
    await openLedger(page);
    await page.getByText('No digest has been taken yet.').waitFor();
    await page.getByText('A proof is checked against a digest: take a digest first.').waitFor();
    // This runtime names no witness: its log's checkpoint is signed, and says that nobody cosigned it.
    const log = page.getByRole('region', { name: 'The public log' }).getByRole('status');
    await expect
      .poll(() => log.textContent())
      .toMatch(
        /^Size \d[\d,]*, root \S+=, signed by \S+, and no witness has cosigned it: the ledger names no witness\.$/,
      );
    await expectAccessible(page);
    await saveScreenshot(page, 'ledger-none-desk');

    // A digest seals what was recorded a settling moment before it: wait until the demo is that old.
    const settled = demoLoadedAt + DIGEST_SETTLE_MS + 1_000 - Date.now();
    if (settled > 0) await new Promise((resolve) => setTimeout(resolve, settled));
    await page.getByRole('button', { name: 'Take a digest now' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Digest 1 was taken just now: it seals 6 cases.' })
      .waitFor();
    await page.getByText(`Digest 1 seals every event recorded by`).waitFor();
    expect(await page.getByText(`6 cases, ${feed.length} events in all.`).count()).toBe(1);
    expect(await page.getByText('none: this is the first digest').count()).toBe(1);
    const { body: latest } = await api<{ root: string; hash: string }>('/ledger/digest');
    expect(await page.getByText(latest.root, { exact: true }).count()).toBe(1);
    expect(await page.getByText(latest.hash, { exact: true }).count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, 'ledger-digest-desk');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("checks a case's proof in the browser: it holds", async () => {
    const { context, page } = await newPage(target);
    await openLedger(page);
    const { body: proof } = await api<Proof>('/cases/demo-c03/proof?digest=1');
    await page.getByLabel('Case id').fill('demo-c03');
    await page.getByRole('button', { name: 'Check the proof' }).click();
    const verdict = page.getByRole('status').filter({ hasText: 'The proof holds' });
    await expect
      .poll(() => verdict.textContent())
      .toBe(`The proof holds: case demo-c03's head (event ${proof.leaf.version}) is in digest 1.`);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('.proof-verdict code').allTextContents()).toEqual([
      proof.digest.root,
      proof.digest.root,
    ]);
    await expectAccessible(page);
    await saveScreenshot(page, 'ledger-proof-holds-desk');

    // A case the digest does not hold: the API's words at the field.
    await page.getByLabel('Case id').fill('no-such-case');
    await page.getByRole('button', { name: 'Check the proof' }).click();
    await expect.poll(() => page.getByLabel('Case id').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('.field-error').textContent()).toMatch(/no-such-case/);
    expect(await page.getByText('The proof holds').count()).toBe(0);
    await expectAccessible(page);
    await context.close();
  });

  it('checks a proof file against the digest the server holds: a tampered one does NOT match, in red', async () => {
    const { context, page } = await newPage(target);
    await openLedger(page);
    const { body: proof } = await api<Proof>('/cases/demo-c05/proof?digest=1');
    const good = join(files, 'demo-c05-proof.json');
    await writeFile(good, JSON.stringify(proof, null, 2));
    const fileInput = page.getByLabel('Proof file');
    await fileInput.setInputFiles(good);
    await page.getByRole('status').filter({ hasText: "The proof holds: case demo-c05's head" }).waitFor();

    // The leaf's hash rewritten, and the file's own digest root with it: the server's root still catches it.
    const tampered = join(files, 'demo-c05-tampered.json');
    const forged = { ...proof, leaf: { ...proof.leaf, hash: 'f'.repeat(64) } };
    await writeFile(
      tampered,
      JSON.stringify({ ...forged, digest: { ...proof.digest, root: '0'.repeat(64) } }),
    );
    await fileInput.setInputFiles(tampered);
    const alarm = page.getByRole('alert').filter({ hasText: 'The proof does NOT match' });
    await expect
      .poll(() => alarm.textContent())
      .toMatch(/^The proof does NOT match: the root recomputed from case demo-c05/);
    expect(await backgroundOf(page, '.verdict-broken')).toBe('rgb(164, 22, 26)');
    expect(await page.getByText('The proof holds').count()).toBe(0);
    await expectAccessible(page);
    await saveScreenshot(page, 'ledger-proof-tampered-desk');

    const notJson = join(files, 'not-a-proof.json');
    await writeFile(notJson, 'this is not JSON');
    await fileInput.setInputFiles(notJson);
    await page
      .getByRole('alert')
      .filter({ hasText: 'This file is not JSON, so it is not a proof file.' })
      .waitFor();
    await context.close();
  });

  it('says in red that the ledger today no longer holds what a digest sealed, once an event is altered behind the API', async () => {
    await alterStoredEvent(target, { caseId: 'demo-c02', version: 2 }, 'occurredAt', '2020-01-01');
    const { context, page } = await newPage(target);
    await openLedger(page);
    await page.getByLabel('Case id').fill('demo-c02');
    await page.getByRole('button', { name: 'Check the proof' }).click();
    // The digest still holds the head it sealed; what changed is today's ledger under it.
    await page.getByRole('status').filter({ hasText: "The proof holds: case demo-c02's head" }).waitFor();
    const alarm = page.getByRole('alert').filter({ hasText: 'The ledger today does NOT hold' });
    await expect
      .poll(() => alarm.textContent())
      .toMatch(/^The ledger today does NOT hold the history digest 1 sealed: case demo-c02's events/);
    expect(await backgroundOf(page, '.verdict-broken')).toBe('rgb(164, 22, 26)');
    expect(await page.getByText('The ledger today still holds this history').count()).toBe(0);
    await expectAccessible(page);
    await saveScreenshot(page, 'ledger-altered-desk');
    await context.close();
  });

  it('reads in Russian on a phone, hashes wrapped to fit', async () => {
    const { context, page } = await newPage(target, { viewport: 'phone', locale: 'ru-RU' });
    await openLedger(page);
    await page.getByText(/^Дайджест 1 запечатывает все события/).waitFor();
    await page.getByLabel('Номер дела').fill('demo-c01');
    await page.getByRole('button', { name: 'Проверить доказательство' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Доказательство верно: последнее событие дела demo-c01/ })
      .waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await expectAccessible(page);
    await saveScreenshot(page, 'ledger-proof-phone-ru');
    await context.close();
  });

  it('says in red when a stored digest no longer agrees with its own hash', async () => {
    const { context, page } = await newPage(target);
    await openLedger(page);
    await page
      .getByText("Digest 1's hash, recomputed in this browser from its fields, agrees with them.")
      .waitFor();
    await context.close();

    await alterStoredDigest(target, 1, { events: feed.length + 1 });
    const again = await newPage(target);
    await openLedger(again.page);
    const alarm = again.page
      .getByRole('alert')
      .filter({ hasText: "Digest 1's hash does NOT agree with its fields" });
    await alarm.waitFor();
    expect(await backgroundOf(again.page, '.digest-summary .verdict-broken')).toBe('rgb(164, 22, 26)');
    await expectAccessible(again.page);
    await saveScreenshot(again.page, 'ledger-digest-altered-desk');
    await again.context.close();
  });
});

describe('who sees the audit and ledger screens', () => {
  it('offers a viewer neither, and says plainly which role they need when the URL is typed', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Viewer Vera Test', roles: ['viewer'] });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Board' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Ledger' }).count()).toBe(0);
    for (const [path, title] of [
      ['/audit', 'Audit'],
      ['/ledger', 'Ledger'],
    ] as const) {
      await page.goto(`${target.app}${path}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByText('This page needs the auditor role.', { exact: false }).waitFor();
      expect(await page.getByRole('table').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Take a digest now' }).count()).toBe(0);
      await expectAccessible(page);
    }
    await saveScreenshot(page, 'ledger-needs-auditor-desk');
    await context.close();
  });
});
