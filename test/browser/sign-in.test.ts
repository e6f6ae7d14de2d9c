import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../local/tokens.ts';
import {
  type BrowserRuntime,
  expectAccessible,
  newPage,
  saveScreenshot,
  signIn,
  startBrowserRuntime,
} from './support/browser-runtime.ts';
import { scrollWidth, sessionStorageKeys, storeSessionToken } from './support/page-state.ts';

let target: BrowserRuntime;

beforeAll(async () => {
  target = await startBrowserRuntime();
});

afterAll(async () => {
  await target?.stop();
});

/** The main navigation's links, by name. */
async function navLinks(page: Page): Promise<string[]> {
  return page
    .getByRole('navigation', { name: /main|основное/i })
    .getByRole('link')
    .allTextContents();
}

describe('signing in to the web application', () => {
  it('sends a person who is not signed in to the sign-in page, and back where they were going after', async () => {
    const { context, page, pageErrors } = await newPage(target);
    await page.goto(`${target.app}/audit`);
    await page.waitForURL(/\/app\/sign-in\?next=%2Faudit/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await expectAccessible(page);
    await saveScreenshot(page, 'sign-in-desk');
    await page.getByLabel('Your name').fill('Desk Officer One');
    await page.getByRole('checkbox', { name: /^viewer\b/ }).setChecked(false);
    await page.getByRole('checkbox', { name: /^auditor\b/ }).setChecked(true);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/audit$/);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it.each([
    { roles: ['viewer'] as const, offered: ['Board', 'Notifications', 'Check evidence'] },
    { roles: ['recorder'] as const, offered: ['Open a case', 'Record for a group', 'Check evidence'] },
    { roles: ['auditor'] as const, offered: ['Board', 'Audit', 'Ledger', 'Notifications', 'Check evidence'] },
    {
      roles: ['admin'] as const,
      offered: [
        'Board',
        'Open a case',
        'Record for a group',
        'Audit',
        'Ledger',
        'Notifications',
        'Webhooks',
        'Check evidence',
      ],
    },
  ])('offers a $roles.0 only what that role may do', async ({ roles, offered }) => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: `Someone ${roles[0]}`, roles });
    await expect.poll(() => navLinks(page)).toEqual(offered);
    await expect.poll(() => page.getByText(`Signed in as Someone ${roles[0]}`).count()).toBe(1);
    await context.close();
  });

  it('keeps the token out of cookies, where other sites could never reach it anyway', async () => {
    const { context, page } = await newPage(target);
    await signIn(target, page, { name: 'Cookie Check', roles: ['viewer'] });
    expect(await context.cookies()).toEqual([]);
    expect(await sessionStorageKeys(page)).toEqual(['detention-ledger.session']);
    await context.close();
  });

  it('sends a person whose token expired back to sign in, with a message, not a blank page', async () => {
    const { context, page } = await newPage(target);
    await page.goto(`${target.app}/sign-in`);
    const token = await mintToken({
      secret: target.runtime.jwtSecret!,
      subject: 'Short Lived',
      roles: ['viewer'],
      pii: false,
      ttlSeconds: 3,
    });
    await storeSessionToken(page, token);
    await page.goto(`${target.app}/`);
    await expect.poll(() => page.getByText('Signed in as Short Lived').count()).toBe(1);
    await page.waitForURL(/\/app\/sign-in\?reason=expired/, { timeout: 15_000 });
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContain('Your sign-in has expired. Sign in again to go on.');
    await expectAccessible(page);
    await saveScreenshot(page, 'sign-in-expired-desk');
    await context.close();
  });

  it('says what is missing before asking, and shows the runtime\u2019s refusal of a hostile name', async () => {
    const { context, page } = await newPage(target);
    await page.goto(`${target.app}/sign-in`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual(['Give your name.']);
    await page.getByLabel('Your name').fill('Nobody');
    await page.getByRole('checkbox', { name: /^viewer\b/ }).setChecked(false);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual(['Choose at least one role.']);
    // A control character cannot be typed, but it can be pasted: the runtime refuses it and says why.
    await page.getByLabel('Your name').fill('Evil\u0007Bell');
    await page.getByRole('checkbox', { name: /^viewer\b/ }).setChecked(true);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toEqual([expect.stringMatching(/^Sign-in failed: .*control characters/)]);
    expect(new URL(page.url()).pathname).toBe('/app/sign-in');
    expect(await sessionStorageKeys(page)).toEqual([]);
    await context.close();
  });

  it('never leaves the application for a `next` that points elsewhere', async () => {
    const { context, page } = await newPage(target);
    await page.goto(`${target.app}/sign-in?next=${encodeURIComponent('//attacker.example/')}`);
    await page.getByLabel('Your name').fill('Redirect Check');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/app/' || url.pathname === '/app');
    expect(new URL(page.url()).host).toBe(new URL(target.app).host);
    await context.close();
  });

  it('speaks Russian to a Russian browser, and at phone width', async () => {
    const { context, page } = await newPage(target, { locale: 'ru-RU', viewport: 'phone' });
    await page.goto(`${target.app}/sign-in`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Вход');
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await expectAccessible(page);
    await saveScreenshot(page, 'sign-in-ru-phone');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await page.getByLabel('Язык').selectOption('en');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await context.close();
  });
});
