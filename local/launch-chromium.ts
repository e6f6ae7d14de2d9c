import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';

/**
 * `@sparticuz/chromium`'s flags are made for one page in a Lambda function: one process (a second browser
 * context then crashes it), and web security off. The browser tests and the benchmark open several contexts
 * and need the browser's real same-origin rules (the sign-in's origin check, the CSP), so those are left out.
 */
const LAMBDA_ONLY_FLAGS = [
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
];

/** A headless Chromium installed from npm alone (it unpacks into /tmp on first use), driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args.filter(
      (flag) => !LAMBDA_ONLY_FLAGS.includes(flag) && !flag.startsWith('--disable-features='),
    ),
    headless: true,
  });
}
