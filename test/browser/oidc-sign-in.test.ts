import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, TEST_AUDIENCE, type TestOidcProvider } from '../support/oidc-provider.ts';
import {
  type BrowserRuntime,
  expectAccessible,
  newPage,
  saveScreenshot,
  startBrowserRuntime,
} from './support/browser-runtime.ts';
import { scrollWidth, sessionStorageKeys } from './support/page-state.ts';

/**
 * The web application signing in at a real OpenID provider (panva's oidc-provider on loopback): the runtime in
 * AUTH_MODE=oidc tells the application where to sign in, the person signs in on the provider's own page, the
 * application renews tokens with the refresh token, and signs out at the provider.
 */

/** How long the provider's access tokens live: short, so a renewal comes within a test. */
const ACCESS_TOKEN_SECONDS = 6;
const CLIENT_ID = 'ledger-web';
const TOKENS_KEY = 'detention-ledger.oidc-tokens';

const users = [
  { login: 'rec-one', password: 'correct horse one', groups: ['viewer', 'recorder'], name: 'Rita Recorder' },
  { login: 'view-one', password: 'correct horse two', groups: ['viewer'], name: 'Vik Viewer' },
  { login: 'aud-one', password: 'correct horse three', groups: ['viewer', 'auditor'], name: 'Aud Auditor' },
] as const;

let provider: TestOidcProvider;
let other: TestOidcProvider;
let target: BrowserRuntime;

beforeAll(async () => {
  [provider, other] = await Promise.all([
    startOidcProvider({ users, webAccessTokenTtlSeconds: ACCESS_TOKEN_SECONDS }),
    startOidcProvider(),
  ]);
  target = await startBrowserRuntime({
    env: {
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: provider.issuer,
      OIDC_AUDIENCE: TEST_AUDIENCE,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_RESOURCE: TEST_AUDIENCE,
      OIDC_SCOPES: 'openid profile',
      OIDC_PROVIDER_NAME: 'Example NGO',
    },
  });
  provider.registerWebClient({ clientId: CLIENT_ID, origin: target.runtime.url });
  const arranger = await provider.accessToken({
    subject: 'test-arranger',
    claims: { 'cognito:groups': ['recorder'] },
  });
  const opened = await fetch(`${target.runtime.url}/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${arranger}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      caseId: 'oidc-case-1',
      subject: { name: 'Invented Person Oidc', nationality: 'Ruritania' },
    }),
  });
  expect(opened.status).toBe(201);
  await target.runtime.projected();
}, 180_000);

afterAll(async () => {
  await target?.stop();
  await Promise.all([provider?.stop(), other?.stop()]);
});

interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  receivedAt: number;
  expiresAt: number;
}

async function storedTokens(page: Page): Promise<StoredTokens | undefined> {
  const text = (await page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKENS_KEY)})`)) as
    | string
    | null;
  return text === null ? undefined : (JSON.parse(text) as StoredTokens);
}

async function storeTokens(page: Page, tokens: StoredTokens): Promise<void> {
  await page.evaluate(
    `sessionStorage.setItem(${JSON.stringify(TOKENS_KEY)}, ${JSON.stringify(JSON.stringify(tokens))})`,
  );
}

/** The API's answer to `path` with the token the page holds now, asked from inside the page. */
async function apiStatusWithStoredToken(page: Page, path: string): Promise<number> {
  return (await page.evaluate(`(async () => {
    const tokens = JSON.parse(sessionStorage.getItem(${JSON.stringify(TOKENS_KEY)}));
    const response = await fetch(${JSON.stringify(path)}, { headers: { authorization: 'Bearer ' + tokens.accessToken } });
    return response.status;
  })()`)) as number;
}

/** Each call the page makes to the API, with the bearer token it carried and the status it got. */
function recordApiCalls(page: Page, origin: string) {
  const calls: { path: string; token: string; status: number }[] = [];
  page.on('response', (response: Response) => {
    const url = new URL(response.url());
    const authorization = response.request().headers().authorization;
    if (url.origin !== origin || url.pathname.startsWith('/app/') || authorization === undefined) return;
    calls.push({
      path: url.pathname,
      token: authorization.slice('Bearer '.length),
      status: response.status(),
    });
  });
  return calls;
}

/** From the application's sign-in page through the provider's login page, as a person does it. */
async function signInAtProvider(page: Page, user: (typeof users)[number], next = '/'): Promise<void> {
  await page.goto(`${target.app}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByRole('button', { name: 'Sign in with Example NGO' }).click();
  await page.waitForURL((url) => url.origin === provider.issuer);
  await page.getByLabel('Login').fill(user.login);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === target.runtime.url && !url.pathname.endsWith('/signed-in'));
}

/** The main navigation's links, by name. */
function navLinks(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
}

describe('signing in at an OpenID provider', () => {
  it('offers one button, signs a recorder in on the provider’s page, and brings them to the case they asked for', async () => {
    const { context, page, pageErrors } = await newPage(target);
    const calls = recordApiCalls(page, target.runtime.url);
    await page.goto(`${target.app}/cases/oidc-case-1`);
    await page.waitForURL(/\/app\/sign-in\?next=%2Fcases%2Foidc-case-1/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    // No name or roles to fill in here: those are the provider's.
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await expectAccessible(page);
    await saveScreenshot(page, 'oidc-sign-in-desk');
    // The button names the organisation; the host it leads to is said beside it.
    expect(await page.getByText(`You will sign in at ${new URL(provider.issuer).host}.`).count()).toBe(1);
    await page.getByRole('button', { name: 'Sign in with Example NGO' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    const authorize = new URL(page.url());
    expect(authorize.pathname).toMatch(/^\/interaction\//);
    // A wrong password is the provider's to refuse.
    await page.getByLabel('Login').fill('rec-one');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong login or password.');
    await saveScreenshot(page, 'oidc-provider-login-desk');
    await page.getByLabel('Login').fill('rec-one');
    await page.getByLabel('Password').fill('correct horse one');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/cases\/oidc-case-1$/);
    await page.getByRole('heading', { level: 1, name: /oidc-case-1/ }).waitFor();
    await expect.poll(() => page.getByText('Signed in as Rita Recorder').count()).toBe(1);
    await expect
      .poll(() => navLinks(page))
      .toEqual(['Board', 'Open a case', 'Record for a group', 'Notifications', 'Check evidence']);
    await saveScreenshot(page, 'oidc-signed-in-case-desk');
    await expect
      .poll(() => calls.some((call) => call.path === '/cases/oidc-case-1' && call.status === 200))
      .toBe(true);
    // The pending sign-in (state, verifier) is gone; the tokens are kept for this tab only, in no cookie of ours.
    expect(await sessionStorageKeys(page)).toEqual([TOKENS_KEY]);
    const tokens = await storedTokens(page);
    expect(tokens?.refreshToken).toEqual(expect.any(String));
    expect(tokens?.idToken).toEqual(expect.any(String));
    // The provider keeps its own session in cookies on its port; none of them carries a token.
    const cookieValues = (await context.cookies()).map((cookie) => decodeURIComponent(cookie.value));
    for (const token of [tokens?.accessToken, tokens?.refreshToken, tokens?.idToken])
      expect(cookieValues.some((value) => value.includes(token!))).toBe(false);
    // A record made with the provider's token is recorded as by the person the provider signed in.
    await page.getByLabel('What happened').selectOption({ label: 'Consular visit' });
    await page.getByLabel('When it happened (required)').fill('2025-07-03');
    await page.getByLabel('By whom (required)').fill('Embassy of Ruritania');
    await page.getByLabel('Title of source 1 (required)').fill('Note verbale of the ministry');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page
      .getByRole('status')
      .getByText(/Recorded: Consular visit/)
      .waitFor();
    const auditor = await provider.accessToken({
      subject: 'test-auditor',
      claims: { 'cognito:groups': ['auditor'] },
    });
    const events = (await (
      await fetch(`${target.runtime.url}/cases/oidc-case-1/events`, {
        headers: { authorization: `Bearer ${auditor}` },
      })
    ).json()) as { events: { type: string; recordedBy: string }[] };
    expect(events.events.find((event) => event.type === 'ConsularVisit')?.recordedBy).toBe('rec-one');
    await page.getByRole('link', { name: 'Board' }).click();
    await page.getByRole('link', { name: 'oidc-case-1' }).first().waitFor();
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('renews the access token before it expires, and the next call goes with the new one', async () => {
    const { context, page, pageErrors } = await newPage(target);
    const calls = recordApiCalls(page, target.runtime.url);
    await signInAtProvider(page, users[1]);
    await page.getByRole('link', { name: 'oidc-case-1' }).first().waitFor();
    const first = await storedTokens(page);
    await expect
      .poll(async () => (await storedTokens(page))?.accessToken, { timeout: ACCESS_TOKEN_SECONDS * 3000 })
      .not.toBe(first?.accessToken);
    const renewed = await storedTokens(page);
    // The provider rotates refresh tokens: the new one replaced the old.
    expect(renewed?.refreshToken).not.toBe(first?.refreshToken);
    await page.getByRole('link', { name: 'oidc-case-1' }).first().click();
    await page.getByRole('heading', { level: 1, name: /oidc-case-1/ }).waitFor();
    await expect
      .poll(() => calls.filter((call) => call.token === renewed?.accessToken && call.status === 200).length)
      .toBeGreaterThan(0);
    expect(calls.filter((call) => call.token === first?.accessToken).length).toBeGreaterThan(0);
    expect(calls.filter((call) => call.status === 401)).toEqual([]);
    expect(new URL(page.url()).pathname).toBe('/app/cases/oidc-case-1');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('renews once when the API says 401, and sends the call again with the new token', async () => {
    const { context, page } = await newPage(target);
    const calls = recordApiCalls(page, target.runtime.url);
    await signInAtProvider(page, users[1]);
    await page.getByRole('link', { name: 'oidc-case-1' }).first().waitFor();
    const tokens = await storedTokens(page);
    // An access token the API refuses, with the tab's good refresh token and far from its renewal time.
    const foreign = await other.accessToken({
      subject: 'view-one',
      claims: { 'cognito:groups': ['viewer'] },
    });
    await storeTokens(page, {
      ...tokens!,
      accessToken: foreign,
      receivedAt: Date.now(),
      expiresAt: Date.now() + 3_600_000,
    });
    await page.goto(`${target.app}/cases/oidc-case-1`);
    await page.getByRole('heading', { level: 1, name: /oidc-case-1/ }).waitFor();
    await expect.poll(() => calls.find((call) => call.token === foreign)?.status).toBe(401);
    // The heading is the address's; the renewal and the call sent again come after it.
    await expect.poll(async () => (await storedTokens(page))?.accessToken).not.toBe(foreign);
    const renewed = await storedTokens(page);
    await expect
      .poll(() => calls.some((call) => call.token === renewed?.accessToken && call.status === 200))
      .toBe(true);
    await context.close();
  });

  it('takes away a role removed at the provider at the next renewal: not offered, and the API says 403', async () => {
    const { context, page } = await newPage(target);
    await signInAtProvider(page, users[2], '/audit');
    await page.waitForURL(/\/app\/audit$/);
    await expect
      .poll(() => navLinks(page))
      .toEqual(['Board', 'Audit', 'Ledger', 'Notifications', 'Check evidence']);
    expect(await apiStatusWithStoredToken(page, '/audit?from=2020-01-01&to=2020-01-02')).toBe(200);
    provider.setGroups('aud-one', ['viewer']);
    await expect
      .poll(() => navLinks(page), { timeout: ACCESS_TOKEN_SECONDS * 3000 })
      .toEqual(['Board', 'Notifications', 'Check evidence']);
    expect(await apiStatusWithStoredToken(page, '/audit?from=2020-01-01&to=2020-01-02')).toBe(403);
    await expect.poll(() => page.getByText(/needs the auditor role/).count()).toBe(1);
    await saveScreenshot(page, 'oidc-role-removed-desk');
    provider.setGroups('aud-one', ['viewer', 'auditor']);
    await context.close();
  });

  it('signs out at the provider, lands on the signed-out page, and leaves no token in the tab', async () => {
    const { context, page, pageErrors } = await newPage(target);
    await signInAtProvider(page, users[1]);
    await page.getByRole('link', { name: 'oidc-case-1' }).first().waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    const endSession = new URL(page.url());
    expect(endSession.pathname).toBe('/session/end');
    expect(await sessionStorageKeys(page)).toEqual([]);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${target.app}/signed-out`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Signed out');
    expect(await sessionStorageKeys(page)).toEqual([]);
    await expectAccessible(page);
    await saveScreenshot(page, 'oidc-signed-out-desk');
    // Signing in again asks for the password again: the provider's session ended too.
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await page.getByRole('button', { name: 'Sign in with Example NGO' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByLabel('Password').waitFor();
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('refuses a token of another issuer and sends the person to sign in, with a message', async () => {
    const { context, page } = await newPage(target);
    await page.goto(`${target.app}/sign-in`);
    const foreign = await other.accessToken({ subject: 'intruder', claims: { 'cognito:groups': ['admin'] } });
    await storeTokens(page, {
      accessToken: foreign,
      receivedAt: Date.now(),
      expiresAt: Date.now() + 3_600_000,
    });
    await page.goto(`${target.app}/`);
    await page.waitForURL(/\/app\/sign-in\?reason=expired/);
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContain('Your sign-in has expired. Sign in again to go on.');
    expect(await sessionStorageKeys(page)).toEqual([]);
    await context.close();
  });

  it('says in plain words that sign-in was cancelled at the provider, with a way back', async () => {
    const { context, page, pageErrors } = await newPage(target);
    await page.goto(`${target.app}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with Example NGO' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/\/app\/signed-in\?/);
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Sign-in was cancelled or refused at the sign-in service. You are not signed in.');
    await expectAccessible(page);
    await saveScreenshot(page, 'oidc-sign-in-denied-desk');
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await page.waitForURL(/\/app\/sign-in$/);
    expect(await sessionStorageKeys(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('refuses an answer whose state was changed, in plain words', async () => {
    const { context, page } = await newPage(target);
    await page.goto(`${target.app}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with Example NGO' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    // The tab holds a sign-in on its way; an answer that is not its own is refused before any code is used.
    await page.goto(`${target.app}/signed-in?code=stolen-code&state=tampered`);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/^This sign-in could not be checked/);
    await saveScreenshot(page, 'oidc-sign-in-state-desk');
    expect(await sessionStorageKeys(page)).toEqual([]);
    await context.close();
  });

  it('says so when the provider cannot be reached, at the sign-in page and at the callback', async () => {
    const { context, page, pageErrors } = await newPage(target);
    provider.down();
    try {
      await page.goto(`${target.app}/sign-in`);
      await page.getByRole('button', { name: 'Sign in with Example NGO' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toBe('The sign-in service could not be reached. Check the connection, then try again.');
      expect(new URL(page.url()).pathname).toBe('/app/sign-in');
      await saveScreenshot(page, 'oidc-provider-unreachable-desk');
    } finally {
      provider.up();
    }
    await page.getByRole('button', { name: 'Sign in with Example NGO' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByLabel('Login').fill(users[1].login);
    await page.getByLabel('Password').fill(users[1].password);
    // The provider answers the person's browser, but not the page's own calls (discovery, the code's exchange).
    await context.route(`${provider.issuer}/**`, (route) =>
      route.request().resourceType() === 'fetch' ? route.abort('connectionrefused') : route.continue(),
    );
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/signed-in\?/);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The sign-in service could not be reached. Check the connection, then try again.');
    await expect.poll(() => page.getByRole('link', { name: 'Sign in again' }).count()).toBe(1);
    expect(await sessionStorageKeys(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('ends the session with the expired message when a renewal fails', async () => {
    const { context, page } = await newPage(target);
    await signInAtProvider(page, users[1]);
    await page.getByRole('link', { name: 'oidc-case-1' }).first().waitFor();
    provider.down();
    try {
      await page.waitForURL(/\/app\/sign-in\?reason=expired/, { timeout: ACCESS_TOKEN_SECONDS * 3000 });
      await expect
        .poll(() => page.getByRole('status').allTextContents())
        .toContain('Your sign-in has expired. Sign in again to go on.');
      expect(await sessionStorageKeys(page)).toEqual([]);
    } finally {
      provider.up();
    }
    await context.close();
  });

  it('speaks Russian at the sign-in page and at phone width', async () => {
    const { context, page } = await newPage(target, { locale: 'ru-RU', viewport: 'phone' });
    await page.goto(`${target.app}/sign-in`);
    await expect.poll(() => page.getByRole('button', { name: /^Войти через / }).count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, 'oidc-sign-in-ru-phone');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await context.close();
  });
});
