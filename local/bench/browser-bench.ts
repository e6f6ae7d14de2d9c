import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import type { NewEvent } from '../../domain/event-catalogue.ts';
import { launchChromium } from '../launch-chromium.ts';
import { openingEvents, withIds } from './bench-events.ts';
import type { BenchSizes } from './bench-sizes.ts';
import type { BenchTarget } from './bench-target.ts';
import { type Comparison, compare } from './comparison.ts';
import { summarize } from './measure.ts';

/** The first load's budget of compressed JavaScript. */
export const FIRST_LOAD_BUDGET_BYTES = 300 * 1024;

/** The group the board is opened on: cases of its own, apart from the warm-up's. */
const BOARD_GROUP = 'bench-board';

/** Where the web application keeps the signed-in token (web/src/session/session.ts). */
const SESSION_KEY = 'detention-ledger.session';

/** The opening of a case of the board's group and its detention, as the other families open theirs. */
function boardCaseEvents(): NewEvent[] {
  return openingEvents().map((event) =>
    event.type === 'CaseOpened' ? { ...event, data: { ...event.data, groupId: BOARD_GROUP } } : event,
  );
}

async function openBoardCases(target: BenchTarget, count: number, concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !target.signal?.aborted) {
      next += 1;
      const caseId = `bench-board-${randomUUID()}`;
      const opened = await target.ledger.append({
        caseId,
        events: withIds(boardCaseEvents()),
        expected: 'no_stream',
        recordedBy: 'bench',
      });
      target.projection.note(caseId, opened.version);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await target.projected();
}

/** One JavaScript file the board's first load fetched, as served and gzipped. */
export interface LoadedScript {
  readonly url: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

interface BoardLoad {
  readonly ms: number;
  readonly scripts: LoadedScript[];
}

/**
 * Opens the board in a fresh context (an empty cache, a signed-in tab) and times it from navigation until the
 * counts say how many cases there are and the first page of rows is on screen; with every script it fetched.
 */
async function loadBoard(browser: Browser, target: BenchTarget, expected: number): Promise<BoardLoad> {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
  try {
    await context.addInitScript(
      `sessionStorage.setItem(${JSON.stringify(SESSION_KEY)}, ${JSON.stringify(target.apiToken)})`,
    );
    const page = await context.newPage();
    const scripts: Promise<LoadedScript>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script' || !response.ok()) return;
      scripts.push(
        response.body().then((body) => ({
          url: new URL(response.url()).pathname,
          bytes: body.length,
          // Level 9, as the build's report counts it: what a CDN's gzip sends, near enough.
          gzipBytes: gzipSync(body, { level: 9 }).length,
        })),
      );
    });
    const shown = new Intl.NumberFormat('en-GB').format(expected);
    const begin = performance.now();
    await page.goto(`${target.apiUrl}/app/?group=${BOARD_GROUP}`);
    // Locators, not a page function: the application's CSP forbids evaluating strings.
    await page
      .locator('.status-total dd')
      .filter({ hasText: new RegExp(`^${shown}$`) })
      .waitFor({ timeout: 60_000 });
    await page.locator('.case-table tbody tr').first().waitFor({ timeout: 60_000 });
    const ms = performance.now() - begin;
    // The chart's chunk comes once the series has: part of the first load, so it is waited for and counted.
    await page.locator('.held-chart svg').first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    return { ms, scripts: await Promise.all(scripts) };
  } finally {
    await context.close();
  }
}

/** The board's two questions alone, over HTTP, as it asks them (at once): the raw figure beside its time. */
async function rawBoardQuestions(target: BenchTarget, expected: number): Promise<number> {
  const headers = { authorization: `Bearer ${target.apiToken}` };
  const day = new Date().toISOString().slice(0, 10);
  const ask = async (path: string) => {
    const response = await fetch(`${target.apiUrl}${path}`, { headers });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  const begin = performance.now();
  const [summary] = await Promise.all([
    ask(`/summary?groupId=${BOARD_GROUP}&asOf=${day}`),
    ask(`/cases?groupId=${BOARD_GROUP}&sort=caseId&limit=50`),
  ]);
  const ms = performance.now() - begin;
  const total = (summary as { total: number }).total;
  if (total !== expected) throw new Error(`the summary counts ${total} cases, not ${expected}`);
  return ms;
}

/**
 * Family 7: the web application's board in a real Chromium against the running system. Its first load's
 * JavaScript, gzipped, file by file and in all, against the 300 KB budget; and its time to show a group of
 * `browserCases` cases (the counts say so and the first page of rows is on screen), beside the time of the two
 * API calls it waits for, made alone over HTTP.
 */
export async function benchBrowser(target: BenchTarget, sizes: BenchSizes): Promise<Comparison[]> {
  const cases = sizes.browserCases;
  target.log(`browser: opening ${cases} cases in ${BOARD_GROUP}`);
  await openBoardCases(target, cases);
  const browser = await launchChromium();
  try {
    // Untimed: the runtime builds and caches nothing per request, but Chromium and the JIT warm up here.
    await loadBoard(browser, target, cases);
    const loads: BoardLoad[] = [];
    const raw: number[] = [];
    for (let round = 0; round < sizes.browserLoads && !target.signal?.aborted; round++) {
      target.log(`browser: board load ${round + 1} of ${sizes.browserLoads}`);
      loads.push(await loadBoard(browser, target, cases));
      raw.push(await rawBoardQuestions(target, cases));
    }
    const first = loads[0];
    if (first === undefined) return [];
    const scripts = [...first.scripts].sort((a, b) => b.gzipBytes - a.gzipBytes);
    const totalGzip = scripts.reduce((sum, script) => sum + script.gzipBytes, 0);
    const shown = summarize(loads.map((load) => load.ms));
    const asked = summarize(raw);
    return [
      compare({
        family: 'browser',
        id: 'browser.first-load.js',
        name: `board first load: JavaScript, gzip, ${scripts.length} files`,
        unit: 'bytes',
        better: 'lower',
        ledger: totalGzip,
        ledgerOf: 'every script /app/ fetched',
        raw: FIRST_LOAD_BUDGET_BYTES,
        rawOf: 'the budget, 300 KB',
        detail: { scripts, bytes: scripts.reduce((sum, script) => sum + script.bytes, 0) },
      }),
      ...scripts.map((script) =>
        compare({
          family: 'browser',
          id: `browser.first-load.js.${script.url
            .split('/')
            .at(-1)
            ?.replace(/-[\w-]{8}\.js$/, '')}`,
          name: `board first load: ${script.url}, gzip`,
          unit: 'bytes',
          better: 'lower',
          ledger: script.gzipBytes,
          ledgerOf: 'fetched by /app/',
          raw: totalGzip,
          rawOf: 'all first-load JavaScript',
          detail: { bytes: script.bytes },
        }),
      ),
      compare({
        family: 'browser',
        id: `browser.board.${cases}`,
        name: `board shows ${cases} cases (counts and first page), p50 of ${shown.count}`,
        unit: 'ms',
        better: 'lower',
        ledger: shown.p50,
        ledgerOf: '/app/ in Chromium, from navigation',
        raw: asked.p50,
        rawOf: 'GET /summary + GET /cases, at once, over HTTP',
        detail: { cases, shown, asked },
      }),
    ];
  } finally {
    await browser.close();
  }
}
