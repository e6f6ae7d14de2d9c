import { mkdir } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { SCREENSHOT_DIR } from './browser-runtime.ts';

/**
 * Saves what one part of a page shows, e.g. the record panel of a long case page, where a picture of the whole
 * page would make the part too small to read.
 */
export async function saveRegionScreenshot(region: Locator, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await region.screenshot({ path: `${SCREENSHOT_DIR}${name}.png` });
}
