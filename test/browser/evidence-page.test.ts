import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../local/cli/program.ts';
import { TextSink } from '../cli/cli-harness.ts';
import {
  alteredPacketText,
  flipCharacter,
  type MadePacket,
  makeEvidencePacket,
} from '../support/evidence-packet-maker.ts';
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
let files: string;
const made: MadePacket = makeEvidencePacket({ caseId: 'c-evidence-7f3a', events: 12, treeSize: 1042 });

beforeAll(async () => {
  target = await startBrowserRuntime();
  files = await mkdtemp(join(tmpdir(), 'evidence-page-'));
}, 180_000);

afterAll(async () => {
  await target?.stop();
  if (files) await rm(files, { recursive: true, force: true });
});

async function fileOf(name: string, text: string): Promise<string> {
  const path = join(files, name);
  await writeFile(path, text);
  return path;
}

/**
 * The page loaded and then the network taken away: every request the page makes from then on is kept, and
 * a check must make none, so a packet is checked without anything about it leaving the reader's computer.
 */
async function offlineEvidencePage(
  options: Parameters<typeof newPage>[1] = {},
): Promise<{ context: BrowserContext; page: Page; requests: string[]; pageErrors: string[] }> {
  const { context, page, pageErrors } = await newPage(target, options);
  await page.goto(`${target.app}/evidence`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  await context.setOffline(true);
  return { context, page, requests, pageErrors };
}

const fileInput = (page: Page) => page.getByLabel(/Evidence packet|Пакет доказательств/);

async function open(page: Page, path: string): Promise<void> {
  await fileInput(page).setInputFiles(path);
}

describe('checking an evidence packet in the browser, offline and signed out', () => {
  it('offers the page in the navigation without a sign-in, with nothing opened yet', async () => {
    const { context, page, requests } = await offlineEvidencePage();
    try {
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Check evidence']);
      await page.getByText('No packet opened yet.').waitFor();
      await expectAccessible(page);
      await saveScreenshot(page, 'evidence-empty-desk');
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('verifies a valid packet and says so in plain words, with the keys to compare, sending nothing', async () => {
    const { context, page, requests, pageErrors } = await offlineEvidencePage();
    try {
      await open(page, await fileOf('evidence-c-evidence-7f3a-1042.json', made.text));
      const verdict = page.getByRole('status').filter({ hasText: 'are in the ledger' });
      await verdict.waitFor();
      expect(await verdict.textContent()).toBe(
        "The 12 events of case c-evidence-7f3a are in the ledger's log at size 1,042, signed by " +
          'localhost/detention-ledger, cosigned by 2 witnesses.',
      );
      const details = page.locator('.evidence-details');
      expect(await details.textContent()).toContain(made.logKey.verifierKey);
      for (const witness of made.witnessKeys)
        expect(await details.textContent()).toContain(witness.verifierKey);
      expect(await details.textContent()).toContain(made.root.toString('base64'));
      await expectAccessible(page);
      await saveScreenshot(page, 'evidence-verified-desk');
      expect(requests).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('verifies an erased subject’s packet, its personal data still sealed, and one dropped on the box', async () => {
    const { context, page, requests } = await offlineEvidencePage();
    try {
      const erased = makeEvidencePacket({ events: 4, erased: true, treeSize: 9, witnesses: 1 });
      // What a drop hands the page: a DataTransfer holding the file.
      const transfer = await page.evaluateHandle(
        `(() => { const transfer = new DataTransfer(); transfer.items.add(new File([${JSON.stringify(
          erased.text,
        )}], 'evidence-c-evidence-0001-9.json', { type: 'application/json' })); return transfer; })()`,
      );
      await page.getByTestId('evidence-drop').dispatchEvent('drop', { dataTransfer: transfer });
      await page
        .getByRole('status')
        .filter({ hasText: 'The 4 events of case c-evidence-0001 are in the ledger' })
        .waitFor();
      expect(await page.getByRole('status').filter({ hasText: 'cosigned by 1 witness.' }).count()).toBe(1);
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says which check failed and where for a packet with one character changed, each time sending nothing', async () => {
    const line = made.packet.checkpoint.split('\n').find((text) => text.startsWith('— localhost'))!;
    const root = made.root.toString('base64');
    const cases: ReadonlyArray<{ what: string; text: string; says: RegExp }> = [
      {
        what: 'event',
        text: alteredPacketText(made, (packet) => {
          const data = packet.events[4]!.data as { by: string };
          data.by = flipCharacter(data.by, 0);
        }),
        says: /Event version 5: its content is not what its hash says/,
      },
      {
        what: 'proof',
        text: alteredPacketText(made, (packet) => {
          packet.proofs[8]!.hashes[2] = flipCharacter(packet.proofs[8]!.hashes[2]!, 4);
        }),
        says: /Event version 9: its inclusion proof \(entry [\d,]+ of the log\) does not lead to the checkpoint's root/,
      },
      {
        what: 'checkpoint',
        text: alteredPacketText(made, (packet) => {
          packet.checkpoint = packet.checkpoint.replace(root, flipCharacter(root, 10));
        }),
        says: /The log's signature of the checkpoint does not verify/,
      },
      {
        what: 'signature',
        text: alteredPacketText(made, (packet) => {
          packet.checkpoint = packet.checkpoint.replace(line, flipCharacter(line, line.length - 12));
        }),
        says: /The log's signature of the checkpoint does not verify/,
      },
    ];
    const { context, page, requests, pageErrors } = await offlineEvidencePage();
    try {
      for (const { what, text, says } of cases) {
        await open(page, await fileOf(`tampered-${what}.json`, text));
        // The verdict shown is this file's, not the one before it.
        await page.getByText(`File: tampered-${what}.json`).waitFor();
        await page.getByRole('alert').filter({ hasText: 'This packet does NOT check' }).waitFor();
        await page.locator('.evidence-failures').getByText(says).first().waitFor();
        expect(await page.getByRole('status').filter({ hasText: 'are in the ledger' }).count(), what).toBe(0);
        if (what === 'event') {
          await expectAccessible(page);
          await saveScreenshot(page, 'evidence-failed-desk');
        }
      }
      expect(requests).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says in words why a file is not a packet: malformed JSON, a wrong format, empty, huge, proofs amiss', async () => {
    const huge = join(files, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 50 * 1024 * 1024 + 1);
    const cases: ReadonlyArray<{ path: string; says: string }> = [
      { path: await fileOf('cut.json', made.text.slice(0, 500)), says: 'cut.json is not JSON' },
      {
        path: await fileOf('other.json', JSON.stringify({ format: 'something-else/v2' })),
        says: 'other.json is in the format “something-else/v2”',
      },
      {
        path: await fileOf('proof.json', '{"digest":{"sequence":1}}'),
        says: 'proof.json is not an evidence packet of the detention ledger',
      },
      { path: await fileOf('empty.json', ''), says: 'empty.json is empty' },
      { path: huge, says: 'huge.json is larger than 50 MiB' },
      {
        path: await fileOf(
          'missing.json',
          alteredPacketText(made, (packet) => {
            delete (packet as Record<string, unknown>).logKey;
          }),
        ),
        says: 'missing.json is incomplete or malformed at logKey',
      },
      {
        path: await fileOf(
          'unproven.json',
          alteredPacketText(made, (packet) => {
            packet.proofs.pop();
          }),
        ),
        says: 'the proofs do not match the events one to one (the event of version 12 has no proof)',
      },
    ];
    const { context, page, requests } = await offlineEvidencePage();
    try {
      for (const { path, says } of cases) {
        await open(page, path);
        await page.getByText(`File: ${basename(path)}`).waitFor();
        await page.getByRole('alert').filter({ hasText: says }).waitFor();
        expect(await fileInput(page).getAttribute('aria-invalid')).toBe('true');
      }
      await expectAccessible(page);
      await saveScreenshot(page, 'evidence-not-a-packet-desk');
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is linked from the case page and stays in the navigation once signed in', async () => {
    const response = await fetch(`${target.runtime.url}/cases`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await target.token(['recorder'])}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        caseId: 'c-evidence-link',
        subject: { name: 'Ada Example', nationality: 'Utopia' },
        groupId: 'evidence-desk',
        events: [
          {
            type: 'Detained',
            occurredAt: '2025-06-30',
            sources: [{ title: 'Invented test report', publisher: 'Example Monitor' }],
            data: { place: 'Capital', facility: 'Central Remand Prison' },
          },
        ],
      }),
    });
    expect(response.status).toBe(201);
    const { context, page } = await newPage(target);
    try {
      await signIn(
        target,
        page,
        { name: 'Desk Officer Evidence', roles: ['viewer'] },
        '/cases/c-evidence-link',
      );
      await page.getByRole('heading', { level: 1, name: /c-evidence-link/ }).waitFor();
      await page.getByRole('link', { name: 'Check an evidence packet of this case, offline' }).click();
      await page.waitForURL(/\/app\/evidence$/);
      await page.getByRole('heading', { level: 1, name: 'Check evidence' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'Check evidence' }).count()).toBe(1);
      expect(await nav.getByRole('link', { name: 'Board' }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('verifies a packet the ledger itself answers for an erased case, in the page offline and with the command line', async () => {
    const call = async (method: string, path: string, token: string, body?: unknown) =>
      fetch(`${target.runtime.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    const admin = await target.token(['admin', 'recorder'], true);
    const opened = await call('POST', '/cases', admin, {
      caseId: 'c-evidence-real',
      subject: { name: 'Test Person Evidencia', nationality: 'Utopia' },
      groupId: 'evidence-desk',
      events: [
        {
          type: 'Detained',
          occurredAt: '2025-06-30',
          sources: [{ title: 'Invented test report', publisher: 'Example Monitor' }],
          note: 'Seen by an invented neighbour',
          data: { place: 'Capital', facility: 'Central Remand Prison' },
        },
      ],
    });
    expect(opened.status).toBe(201);
    const erased = await call('POST', '/cases/c-evidence-real/erase', admin, {
      reason: 'Request of the person (invented)',
    });
    expect(erased.status).toBe(200);
    await target.runtime.logCaughtUp();
    const auditor = await target.token(['auditor']);
    let answer = await call('GET', '/cases/c-evidence-real/evidence', auditor);
    // The log publishes its checkpoint just after it takes events in: a 409 says "not yet", never a partial packet.
    for (let attempt = 0; answer.status === 409 && attempt < 40; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await call('GET', '/cases/c-evidence-real/evidence', auditor);
    }
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(text).not.toContain('Test Person Evidencia');
    await fileOf('evidence-c-evidence-real.json', text);

    // An auditor takes it from the case page, as the ledger answers it, byte for byte.
    const path = join(files, 'downloaded.json');
    const auditorTab = await newPage(target);
    try {
      await signIn(
        target,
        auditorTab.page,
        { name: 'Auditor Evidence', roles: ['auditor'] },
        '/cases/c-evidence-real',
      );
      const section = auditorTab.page.getByRole('region', { name: 'Evidence packet' });
      const saving = auditorTab.page.waitForEvent('download');
      await section.getByRole('button', { name: 'Download the evidence packet' }).click();
      const download = await saving;
      expect(download.suggestedFilename()).toMatch(/^evidence-c-evidence-real-\d+\.json$/);
      await download.saveAs(path);
      await section
        .getByRole('status')
        .filter({ hasText: /was saved/ })
        .waitFor();
      // The same packet as the API's (made a moment later, so its `createdAt` may differ), saved as answered.
      const saved = await readFile(path, 'utf8');
      const withoutTime = (json: string) => ({ ...JSON.parse(json), createdAt: undefined });
      expect(withoutTime(saved)).toEqual(withoutTime(text));
      expect(saved).not.toContain('Test Person Evidencia');
    } finally {
      await auditorTab.context.close();
    }

    const { context, page, requests, pageErrors } = await offlineEvidencePage();
    try {
      await open(page, path);
      const verdict = page.getByRole('status').filter({ hasText: 'are in the ledger' });
      await verdict.waitFor();
      expect(await verdict.textContent()).toMatch(
        /^The 3 events of case c-evidence-real are in the ledger's log at size [\d,]+, signed by localhost\/detention-ledger, cosigned by no witness\.$/,
      );
      await saveScreenshot(page, 'evidence-real-ledger-desk');
      expect(requests).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }

    const verify = async (file: string) => {
      const stdout = new TextSink();
      const stderr = new TextSink();
      const code = await runCli(['verify-evidence', file], { env: {}, cwd: files, stdout, stderr });
      return { code, stdout: stdout.text };
    };
    const good = await verify('evidence-c-evidence-real.json');
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^Verified: the 3 events of case c-evidence-real are in the ledger's log/);
    const packet = JSON.parse(text) as { events: Array<{ occurredAt: string }> };
    packet.events[1]!.occurredAt = '2025-06-29';
    await fileOf('evidence-c-evidence-real-altered.json', JSON.stringify(packet));
    const altered = await verify('evidence-c-evidence-real-altered.json');
    expect(altered.code).toBe(1);
    expect(altered.stdout).toContain('event version 2: its content is not what its hash says');
  });

  it('speaks Russian and fits a phone, the long keys wrapped', async () => {
    const { context, page, requests } = await offlineEvidencePage({ viewport: 'phone', locale: 'ru-RU' });
    try {
      await page.getByRole('heading', { level: 1, name: 'Проверить доказательства' }).waitFor();
      await open(page, await fileOf('evidence-ru.json', made.text));
      await page
        .getByRole('status')
        .filter({ hasText: '12 событий дела c-evidence-7f3a есть в журнале реестра' })
        .waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
      await expectAccessible(page);
      await saveScreenshot(page, 'evidence-verified-phone-ru');
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
