import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserRuntime,
  expectAccessible,
  newPage,
  saveScreenshot,
  signIn,
  startBrowserRuntime,
} from './support/browser-runtime.ts';

let target: BrowserRuntime;

beforeAll(async () => {
  target = await startBrowserRuntime({ demo: true });
}, 180_000);

afterAll(async () => {
  await target?.stop();
});

describe('notifications, as a desk subscribes', () => {
  it('subscribes to a group by email through the form, and sees it wait for the address to be confirmed', async () => {
    const { context, page, pageErrors } = await newPage(target);
    try {
      await signIn(target, page, { name: 'Desk Officer Nine', roles: ['viewer'] }, '/notifications');
      await page.getByRole('link', { name: 'Notifications' }).waitFor();
      await page.getByText('You are not subscribed to anything yet.').waitFor();

      await page.getByRole('radio', { name: 'A group' }).check();
      await page.getByLabel('Group', { exact: true }).selectOption('demo-riverside');
      await page.getByRole('checkbox', { name: 'Released' }).check();
      await page.getByLabel('Email address').fill('desk.nine@example.org');
      await page.getByRole('radio', { name: 'Once a day' }).check();
      // The time zone starts as the browser's own (this context runs in UTC).
      expect(await page.getByLabel('Time zone').inputValue()).toBe('UTC');
      await page.getByLabel('Hour').selectOption('7');
      await page.getByRole('button', { name: 'Subscribe', exact: true }).click();

      await page.getByRole('status').filter({ hasText: 'We sent a link to desk.nine@example.org' }).waitFor();
      const item = page.locator('.subscription');
      await item.getByText('Waiting for you to confirm the address').waitFor();
      expect(await item.textContent()).toContain('Group demo-riverside');
      expect(await item.textContent()).toContain('Once a day at 07:00 (UTC)');
      await expectAccessible(page);
      await saveScreenshot(page, 'notifications-desk');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the API’s words at the field when the time zone is unknown, and subscribes nothing', async () => {
    const { context, page } = await newPage(target);
    try {
      await signIn(target, page, { name: 'Desk Officer Ten', roles: ['auditor'] }, '/notifications');
      await page.getByText('You are not subscribed to anything yet.').waitFor();
      await page.getByLabel('Email address').fill('desk.ten@example.org');
      await page.getByRole('radio', { name: 'Once a day' }).check();
      await page.getByLabel('Time zone').fill('Mars/Olympus_Mons');
      await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
      await page
        .getByText(/an IANA time zone/)
        .first()
        .waitFor();
      expect(await page.locator('.subscription').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('unsubscribes with the button', async () => {
    const { context, page } = await newPage(target);
    try {
      await signIn(target, page, { name: 'Desk Officer Nine', roles: ['viewer'] }, '/notifications');
      const button = page.getByRole('button', { name: /^Unsubscribe from Group demo-riverside/ });
      await button.click();
      await page.getByText('You are not subscribed to anything yet.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('tells a recorder without a reader role which role the page needs', async () => {
    const { context, page } = await newPage(target);
    try {
      await signIn(target, page, { name: 'Clerk Eleven', roles: ['recorder'] }, '/notifications');
      await page.getByText(/This page needs the viewer role/).waitFor();
      expect(await page.getByRole('link', { name: 'Notifications' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('says in plain words that a link is not valid, without a sign-in', async () => {
    const { context, page } = await newPage(target);
    try {
      await page.goto(`${target.app}/confirm?token=not-a-real-token`);
      await page.getByRole('status').filter({ hasText: 'This link is not valid' }).waitFor();
      await page.goto(`${target.app}/unsubscribe`);
      await page.getByText('This link is incomplete').waitFor();
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});

describe('webhooks, as an admin manages them', () => {
  it('adds an endpoint and shows its secret once, then rotates and disables it', async () => {
    const { context, page, pageErrors } = await newPage(target);
    try {
      await signIn(target, page, { name: 'Chief Twelve', roles: ['admin'] }, '/webhooks');
      await page.getByText('No endpoint yet.').waitFor();
      await page.getByLabel('URL (https)').fill('https://93.184.215.14/ledger');
      await page.getByLabel(/Contact email/).fill('ops@example.org');
      await page.getByLabel('Description (optional)').fill('Desk system');
      await page.getByRole('button', { name: 'Add the endpoint' }).click();
      const shown = page.locator('.secret-once');
      await shown.getByText('you will not see it again').waitFor();
      expect(await shown.locator('code').textContent()).toMatch(/^whsec_/);
      await page.getByRole('heading', { name: 'Desk system' }).waitFor();
      await expectAccessible(page);
      await saveScreenshot(page, 'webhooks-desk');
      await page.getByRole('button', { name: 'I have saved it' }).click();
      // Gone from the page once the screen has re-rendered, not only hidden.
      await page.locator('.secret-once').waitFor({ state: 'detached' });
      expect(await page.locator('.secret-once').count()).toBe(0);

      await page.getByRole('button', { name: 'Rotate the secret of Desk system' }).click();
      await page.locator('.secret-once').getByText('you will not see it again').waitFor();
      await page.getByText(/an older one still signs until/).waitFor();

      // The endpoint receives the notices of a subscription an admin makes for it in the subscribe form.
      await page.goto(`${target.app}/notifications`);
      await page.getByRole('radio', { name: 'To a webhook endpoint' }).check();
      expect(await page.getByLabel('Email address').count()).toBe(0);
      await page.getByLabel('Webhook endpoint', { exact: true }).selectOption({ label: 'Desk system' });
      await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Subscribed.' }).waitFor();
      await page
        .locator('.subscription')
        .filter({ hasText: /webhook/i })
        .waitFor();
      await expectAccessible(page);

      await page.goto(`${target.app}/webhooks`);
      await page.getByRole('button', { name: 'Disable Desk system' }).click();
      await page.getByText('Disabled: nothing is sent to it').waitFor();
      await page.getByRole('button', { name: 'Show deliveries' }).click();
      await page.getByText('Nothing was delivered to this endpoint yet.').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
