import type { Page } from 'playwright-core';

// The test sources compile without the DOM's types (the project's code runs on Node), so what runs inside the
// page is written as expressions here, once, with the types of what they answer.

/** The keys the page holds in session storage. */
export function sessionStorageKeys(page: Page): Promise<string[]> {
  return page.evaluate('Object.keys(sessionStorage)') as Promise<string[]>;
}

/** Puts a token where the application keeps its session, as if it had signed in with it. */
export async function storeSessionToken(page: Page, token: string): Promise<void> {
  await page.evaluate(`sessionStorage.setItem('detention-ledger.session', ${JSON.stringify(token)})`);
}

/** How wide the page's content is: wider than the viewport means sideways scrolling. */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate('document.documentElement.scrollWidth') as Promise<number>;
}
