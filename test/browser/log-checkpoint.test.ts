import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../domain/log/checkpoint.ts';
import { parseNote } from '../../domain/log/signed-note.ts';
import { formatVerifierKey, SIGNATURE_TYPE } from '../../domain/log/verifier-key.ts';
import { loadOrCreateEd25519KeyFile } from '../../local/log-key-file.ts';
import { temporaryDirectory } from '../log/integrator-support.ts';
import { consularVisit, withoutId } from '../support/sample-events.ts';
import { startWitnessProcess, type WitnessProcess } from '../witness/witness-process.ts';
import {
  type BrowserRuntime,
  expectAccessible,
  newPage,
  saveScreenshot,
  signIn,
  startBrowserRuntime,
} from './support/browser-runtime.ts';
import { saveRegionScreenshot } from './support/region-screenshot.ts';

/**
 * The Ledger page's "The public log": the runtime's newest checkpoint, cosigned by a witness that runs as its
 * own process (`npx ledger witness`), checked in Chromium with the page's own Web Crypto checks.
 */
const ORIGIN = 'test.example/browser-log';
const WITNESS = 'witness.example/w1';
let dir: Awaited<ReturnType<typeof temporaryDirectory>>;
let witness: WitnessProcess;
let target: BrowserRuntime;

beforeAll(async () => {
  dir = await temporaryDirectory('log-checkpoint-page');
  const logKeyFile = join(dir.path, 'keys', 'log.pem');
  const logKey = await loadOrCreateEd25519KeyFile(logKeyFile);
  witness = await startWitnessProcess({
    name: WITNESS,
    keyFile: join(dir.path, 'keys', 'witness.pem'),
    state: join(dir.path, 'witness-state.json'),
    logs: [formatVerifierKey(ORIGIN, SIGNATURE_TYPE.ed25519, logKey.publicKey)],
  });
  target = await startBrowserRuntime({
    env: {
      LOG_ORIGIN: ORIGIN,
      LOG_KEY_FILE: logKeyFile,
      LOG_WITNESSES: `${witness.vkey} ${witness.url}`,
    },
  });
}, 120_000);

afterAll(async () => {
  await target?.stop();
  await witness?.stop();
  await dir?.remove();
});

async function openCase(events: number): Promise<void> {
  const answer = await fetch(`${target.runtime.url}/cases`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await target.token(['recorder'])}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      subject: { name: 'Ada Example', nationality: 'Utopia' },
      occurredAt: '2025-06-01',
      events: Array.from({ length: events - 1 }, (_, i) => withoutId(consularVisit(`2025-06-${10 + i}`))),
    }),
  });
  expect(answer.status).toBe(201);
}

const served = async () => (await fetch(`${target.runtime.url}/log/checkpoint`)).text();

async function openLedger(page: Page) {
  await signIn(target, page, { name: 'Auditor Ayla Test', roles: ['auditor'] }, '/ledger');
  return page.getByRole('region', { name: /^(the public log|публичный журнал)$/i });
}

describe('the public log on the Ledger page', () => {
  it('shows the checkpoint checked here: its size, root, origin and the witness that cosigned it', async () => {
    await openCase(3);
    await openCase(2);
    await target.runtime.logCaughtUp();
    const checkpoint = parseCheckpoint(parseNote(await served()).text);
    expect(checkpoint.size).toBe(5);
    const root = Buffer.from(checkpoint.root).toString('base64');

    const { context, page, pageErrors } = await newPage(target);
    try {
      const section = await openLedger(page);
      const verdict = section.getByRole('status');
      await expect.poll(() => verdict.textContent()).toContain('cosigned by 1 of 1 witness');
      const words = (await verdict.textContent()) ?? '';
      expect(words).toContain(`Size 5, root ${root}, signed by ${ORIGIN},`);
      expect(words).toMatch(new RegExp(`\\(${WITNESS}, .*2\\d{3}.*\\)\\.$`));
      expect(await section.getByRole('alert').count()).toBe(0);
      const link = section.getByRole('link', { name: 'check an evidence packet' });
      expect(await link.getAttribute('href')).toBe('/app/evidence');
      await expectAccessible(page);
      await saveScreenshot(page, 'ledger-log-desk');
      await saveRegionScreenshot(section, 'ledger-log');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says it in Russian', async () => {
    const { context, page } = await newPage(target, { locale: 'ru-RU', viewport: 'phone' });
    try {
      const section = await openLedger(page);
      await expect
        .poll(() => section.getByRole('status').textContent())
        .toMatch(
          new RegExp(`^Размер 5, корень .+, подписано ${ORIGIN}, заверено 1 из 1 свидетеля \\(${WITNESS}, `),
        );
      await expectAccessible(page);
      await saveScreenshot(page, 'ledger-log-phone-ru');
    } finally {
      await context.close();
    }
  });

  it('says in plain words that a checkpoint altered on its way does not verify', async () => {
    const { context, page } = await newPage(target);
    try {
      // What a server or a network in between that changed the tree size would serve: the signatures stay.
      await page.route('**/log/checkpoint', async (route) => {
        const answer = await route.fetch();
        const note = await answer.text();
        await route.fulfill({ response: answer, body: note.replace(/^(.+)\n5\n/, '$1\n6\n') });
      });
      const section = await openLedger(page);
      const alert = section.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('could NOT verify');
      const words = (await alert.textContent()) ?? '';
      expect(words).toMatch(/log's signature/i);
      expect(words).toMatch(new RegExp(`cosignature of the witness ${WITNESS} does not verify`));
      expect(await section.getByRole('status').count()).toBe(0);
      await expectAccessible(page);
      await saveScreenshot(page, 'ledger-log-broken-desk');
    } finally {
      await context.close();
    }
  });
});
