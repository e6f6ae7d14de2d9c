import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../../functions/api/auth/principal.ts';
import { demoData } from '../../../local/demo-data.ts';
import { launchChromium } from '../../../local/launch-chromium.ts';
import { loadDemoData } from '../../../local/load-demo-data.ts';
import { loadLocalConfig } from '../../../local/local-config.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../local/local-runtime.ts';
import { mintToken } from '../../../local/tokens.ts';

/** Screenshots of every screen the tests visit, for a reviewer to look at (git-ignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-output/screenshots/', import.meta.url));

/** The widths the application must work at: a desk screen and a phone. */
export const VIEWPORTS = {
  desk: { width: 1280, height: 900 },
  phone: { width: 360, height: 780 },
} as const;

export interface BrowserRuntime {
  readonly runtime: LocalRuntime;
  readonly browser: Browser;
  /** `http://127.0.0.1:PORT/app` — append a route: `${app}/cases/demo-c01`. */
  readonly app: string;
  /** A bearer token for the API itself, to arrange what a test needs without the screens. */
  token(roles: readonly Role[], pii?: boolean): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real thing for browser tests: the local runtime (DynamoDB Local in memory, the stream poller, the API and
 * the web application it serves), optionally with the demo group loaded, and a headless Chromium from
 * `@sparticuz/chromium` driven by playwright-core.
 */
export async function startBrowserRuntime(
  options: {
    demo?: boolean;
    /** More of the runtime's environment, e.g. `AUTH_MODE=oidc` and its provider. */
    env?: Record<string, string>;
    /** The runtime's clock, for a test that lets days pass; the system's by default. */
    clock?: () => Date;
  } = {},
): Promise<BrowserRuntime> {
  const runtime = await startLocalRuntime(
    loadLocalConfig({ ...process.env, LEDGER_IN_MEMORY: '1', PORT: '0', ...options.env }),
    { logger: () => {}, ...(options.clock && { clock: options.clock }) },
  );
  const secret = runtime.jwtSecret;
  const token = async (roles: readonly Role[], pii = false) => {
    // With a provider signing people in, the runtime holds no secret: tokens come from the provider.
    if (secret === undefined) throw new Error('this runtime mints no tokens: ask its OpenID provider');
    return mintToken({ secret, subject: 'test-arranger', roles: [...roles], pii, ttlSeconds: 3600 });
  };
  let browser: Browser | undefined;
  try {
    if (options.demo) {
      await loadDemoData({ baseUrl: runtime.url }, await token(['recorder']), demoData(new Date()));
      await runtime.projected();
    }
    browser = await launchChromium();
  } catch (error) {
    await browser?.close();
    await runtime.stop();
    throw error;
  }
  const started = browser;
  return {
    runtime,
    browser: started,
    app: `${runtime.url}/app`,
    token,
    async stop() {
      await started.close().catch(() => {});
      await runtime.stop();
    },
  };
}

export interface PageOptions {
  readonly viewport?: keyof typeof VIEWPORTS;
  /** The browser's language, which the application follows until a language is chosen. */
  readonly locale?: 'en-GB' | 'ru-RU';
}

/**
 * A fresh browser context (its own session storage) and page, in UTC so days read the same everywhere; closed
 * by the caller's `context.close()`.
 */
export async function newPage(
  target: BrowserRuntime,
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await target.browser.newContext({
    viewport: VIEWPORTS[options.viewport ?? 'desk'],
    locale: options.locale ?? 'en-GB',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  // A script error the screen swallowed would otherwise pass unseen: tests may assert this stays empty.
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}

export interface SignInAs {
  readonly name: string;
  readonly roles: readonly Role[];
  readonly pii?: boolean;
}

/** Signs in through the sign-in screen, as a person would, and waits for the screen it leads to. */
export async function signIn(target: BrowserRuntime, page: Page, who: SignInAs, next = '/'): Promise<void> {
  await page.goto(`${target.app}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/your name|ваше имя/i).fill(who.name);
  for (const role of ['viewer', 'recorder', 'auditor', 'admin'] as const) {
    await page
      .getByRole('checkbox', { name: new RegExp(`^${role}\\b`) })
      .setChecked(who.roles.includes(role));
  }
  await page
    .getByRole('checkbox', { name: /personal data|персональные данные/i })
    .setChecked(who.pii === true);
  await page.getByRole('button', { name: /^(sign in|войти)$/i }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
}

/** axe-core over the page as it is now: no serious or critical violation (their ids and targets if any). */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(blocking).toEqual([]);
}

/** Saves what the page shows now as `test-output/screenshots/<name>.png`. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}
