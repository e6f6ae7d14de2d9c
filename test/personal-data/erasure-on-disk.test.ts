import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { gcmOpen } from '../../functions/personal-data/aes-gcm.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import { TEST_JWT_SECRET, testToken } from '../support/tokens.ts';

/**
 * The disk of a local runtime after erasures, read as someone who took the data directory and the current
 * master key would read it: every file, every byte sequence that could be a wrapped case key, every key.
 */

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'erasure-on-disk-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

const CASES = 8;
const ERASED = [1, 3, 4, 6];
const caseIdOf = (index: number) => `disk-${index}`;
const nameOf = (index: number) => `Test Person Ondisk ${String.fromCharCode(65 + index)}`;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Every run of base64 or base64url text that decodes to 32 bytes: each could be a master key. */
function candidateMasterKeys(text: string): Buffer[] {
  const found = new Map<string, Buffer>();
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{43}=?/g)) {
    const key = Buffer.from(run, run.includes('+') || run.includes('/') ? 'base64' : 'base64url');
    if (key.length === 32) found.set(key.toString('hex'), key);
  }
  return [...found.values()];
}

/**
 * Every `<iv>.<ciphertext+tag>` of a wrapped 256-bit key (16 and 64 base64url characters), whatever precedes
 * it: the wrapped forms `v1.<iv>.<ct>` and `v2.<master key id>.<iv>.<ct>` both end so.
 */
function candidateWrappedKeys(text: string): Array<{ iv: string; ciphertext: string }> {
  const found = new Map<string, { iv: string; ciphertext: string }>();
  for (const match of text.matchAll(
    /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{64})(?![A-Za-z0-9_-])/g,
  )) {
    found.set(match[0], { iv: match[1]!, ciphertext: match[2]! });
  }
  return [...found.values()];
}

/** The case keys that open, out of every candidate wrapped key under every candidate master key. */
function caseKeysThatOpen(
  caseId: string,
  wrapped: ReadonlyArray<{ iv: string; ciphertext: string }>,
  masters: readonly Buffer[],
): Buffer[] {
  const opened: Buffer[] = [];
  for (const box of wrapped) {
    for (const master of masters) {
      try {
        opened.push(gcmOpen(master, box, `case-key:${caseId}`));
      } catch {
        // Not a key of this case under this master key: what an erased case must give for every pair.
      }
    }
  }
  return opened;
}

function subjectOpens(caseKey: Buffer, caseId: string, sealed: { iv: string; ciphertext: string }): boolean {
  try {
    gcmOpen(caseKey, sealed, `subject:${caseId}`);
    return true;
  } catch {
    return false;
  }
}

describe('an erased case on the disk of the local runtime', () => {
  it('opens from no byte sequence of the data directory with the current master key, while the others still do', async () => {
    const cwd = join(workDir, 'ledger');
    const config = loadLocalConfig(
      {
        PORT: '0',
        LEDGER_WEB: 'off',
        LEDGER_JWT_SECRET: TEST_JWT_SECRET,
        XDG_CONFIG_HOME: join(workDir, 'config'),
      },
      cwd,
    );
    const runtime = await startLocalRuntime(config, { logger: () => {} });
    const sealed = new Map<string, { iv: string; ciphertext: string }>();
    try {
      const token = await testToken(['viewer', 'recorder', 'auditor', 'admin'], { pii: true });
      const call = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${runtime.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
        return { status: response.status, body: (await response.json()) as any };
      };
      for (let index = 0; index < CASES; index++) {
        const caseId = caseIdOf(index);
        expect((await call('POST', '/cases', { caseId, subject: { name: nameOf(index) } })).status).toBe(201);
        const stored = await call('GET', `/cases/${caseId}/events?form=stored`);
        sealed.set(caseId, stored.body.events[0].data.subject.sealed);
      }
      for (const index of ERASED) {
        const erased = await call('POST', `/cases/${caseIdOf(index)}/erase`, {
          reason: 'Request (invented)',
        });
        expect(erased.status).toBe(200);
        // More writes after each erasure, as a working ledger has, so SQLite reuses and moves pages.
        expect(
          (await call('POST', '/cases', { caseId: `after-${index}`, subject: { name: 'Test Person Later' } }))
            .status,
        ).toBe(201);
      }
      // The keys as the table holds them now: the surviving ones must be found on disk too (the search works).
      const clients = createDynamoDBClients({ endpoint: runtime.dynamodbEndpoint });
      const { Items = [] } = await clients.documents.send(new ScanCommand({ TableName: config.tables.keys }));
      clients.client.destroy();
      expect(Items.map((item) => item.caseId)).not.toContain(caseIdOf(ERASED[0]!));
    } finally {
      await runtime.stop();
    }

    // What the taker holds: every file of the data directory, and the current master key.
    const files = await filesUnder(config.dataDir!);
    const text = (await Promise.all(files.map((file) => readFile(file, 'latin1')))).join('\n');
    // Every master key the user's configuration folder holds: after the erasures, only the current one.
    const current =
      config.masterKeysHome === undefined
        ? []
        : (await filesUnder(config.masterKeysHome)).filter((file) => file.endsWith('.key'));
    const masters = [
      ...candidateMasterKeys(text),
      ...(await Promise.all(
        current.map(async (file) => Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')),
      )),
    ];
    expect(masters.length).toBeGreaterThan(0);
    const wrapped = candidateWrappedKeys(text);

    for (let index = 0; index < CASES; index++) {
      const caseId = caseIdOf(index);
      const opening = caseKeysThatOpen(caseId, wrapped, masters).filter((key) =>
        subjectOpens(key, caseId, sealed.get(caseId)!),
      );
      if (ERASED.includes(index)) expect(opening, `${caseId} was erased`).toEqual([]);
      else expect(opening.length, `${caseId} keeps its person`).toBeGreaterThan(0);
    }
    // A Java start, a few dozen writes on disk and a stop: minutes on a loaded machine, never a wrong answer.
  }, 180_000);
});
