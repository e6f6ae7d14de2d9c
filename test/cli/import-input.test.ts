import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEvent } from '../../domain/hash-chain.ts';
import { MAX_SEALED_EVENT_BYTES } from '../../domain/sealed-text.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import type { Services } from '../../functions/services.ts';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runExport } from '../../local/cli/commands/export.ts';
import { runCli } from '../../local/cli/program.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { harness, seedCase, TextSink } from './cli-harness.ts';

/**
 * Files that are not exports of this ledger — by accident or by design — are refused with the line and what is
 * wrong with it, and nothing reaches the ledger.
 */

let source: TestTables;
let target: TestTables;
let targetServices: Services;
let workDir: string;
/** A valid export of one case of three events. */
let valid: StoredEvent[];

beforeAll(async () => {
  [source, target] = await Promise.all([createTestTables('cli-input-src'), createTestTables('cli-input')]);
  const sourceServices = servicesOn(source);
  targetServices = servicesOn(target);
  await seedCase(sourceServices, 'input-case', 1, 3);
  const { context, stdout } = harness(sourceServices);
  await runExport(context, { format: 'ndjson' });
  valid = stdout.text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as StoredEvent);
  workDir = await mkdtemp(join(tmpdir(), 'ledger-cli-input-'));
});
afterAll(async () => {
  await Promise.all([source.drop(), target.drop()]);
  await rm(workDir, { recursive: true, force: true });
});

let fileCount = 0;
async function fileOf(content: string | Buffer): Promise<string> {
  const file = join(workDir, `input-${fileCount++}.ndjson`);
  await writeFile(file, content);
  return file;
}

const lines = (events: readonly unknown[]) => `${events.map((event) => JSON.stringify(event)).join('\n')}\n`;

/** The event with a change, and its hash made right again: only the schema can refuse it. */
function rehashed(event: StoredEvent, change: Record<string, unknown>): Record<string, unknown> {
  const { hash: _, ...rest } = event;
  const changed = { ...rest, ...change } as Omit<StoredEvent, 'hash'>;
  return { ...changed, hash: hashEvent(changed) };
}

/** Runs `ledger import FILE` as the program would, against the empty target ledger. */
async function importFile(file: string) {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const env = {
    DYNAMODB_ENDPOINT: target.endpoint,
    LEDGER_TABLE: target.tables.ledger,
    VIEWS_TABLE: target.tables.views,
  };
  const code = await runCli(['import', file], { env, cwd: workDir, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function expectNothingWritten(): Promise<void> {
  expect(await targetServices.ledger.head('input-case')).toBeUndefined();
  const cases: string[] = [];
  for await (const caseId of targetServices.ledger.caseIds()) cases.push(caseId);
  expect(cases).toEqual([]);
}

describe('import of a file that is not an export', () => {
  it.each([
    [
      'a line that is not JSON',
      () => `${JSON.stringify(valid[0])}\n{"streamId": "input-case",\n`,
      2,
      /not JSON/,
    ],
    ['a JSON array', () => lines([valid[0], [valid[1]]]), 2, /not a JSON object: each line holds one event/],
    ['a bare number', () => lines([valid[0], 42]), 2, /not a JSON object/],
    [
      'a version given as text',
      () => lines([{ ...valid[0], version: '1' }]),
      1,
      /version: Invalid input: expected number, received string/,
    ],
    [
      'a hash that is not hex',
      () => lines([{ ...valid[0], hash: 'x'.repeat(64) }]),
      1,
      /hash: 64 lowercase hex digits/,
    ],
    ['an unknown event type', () => lines([valid[0], { ...valid[1], type: 'Vanished' }]), 2, /type: /],
    [
      'data that lacks a required field, with the hash made right',
      () => lines([valid[0], rehashed(valid[1]!, { data: { facility: 'Somewhere' } })]),
      2,
      /data\.place: /,
    ],
    [
      'a field the catalogue does not know, with the hash made right',
      () => lines([valid[0], rehashed(valid[1]!, { admin: true })]),
      2,
      /Unrecognized key: "admin"/,
    ],
    [
      'a case id that could reach the ledger’s own partitions',
      () => lines([{ ...valid[0], streamId: '#digest' }]),
      1,
      /streamId: /,
    ],
    ['a missing envelope field', () => lines([{ ...valid[0], recordedAt: undefined }]), 1, /recordedAt: /],
    [
      'an event dated after it was recorded, with the hash made right',
      () => lines([valid[0], rehashed(valid[1]!, { occurredAt: '2999-01-01' })]),
      2,
      /occurredAt: 2999-01-01 begins after recordedAt .*; the ledger records nothing in advance/,
    ],
  ])('refuses %s, naming its line, exit 1, nothing written', async (_, content, line, problem) => {
    const run = await importFile(await fileOf(content()));
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toMatch(new RegExp(`input-\\d+\\.ndjson line ${line}: `));
    expect(run.stderr).toMatch(problem);
    expect(run.stderr).toContain('Nothing was imported.');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
    await expectNothingWritten();
  });

  it('refuses a line longer than a megabyte without reading it all, and one that is not UTF-8', async () => {
    const huge = await importFile(
      await fileOf(`${lines([valid[0]])}{"note":"${'x'.repeat(3 * 1024 * 1024)}"}\n`),
    );
    expect(huge.code).toBe(EXIT.failed);
    expect(huge.stderr).toMatch(/line 2: longer than 1048576 bytes\. Nothing was imported\./);
    const latin1 = await importFile(
      await fileOf(Buffer.concat([Buffer.from('{"note":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')])),
    );
    expect(latin1.code).toBe(EXIT.failed);
    expect(latin1.stderr).toMatch(/line 1: not UTF-8 text\. Nothing was imported\./);
    await expectNothingWritten();
  });

  it('refuses an event larger than an append may be, as the append rules measure it', async () => {
    const big = rehashed(valid[1]!, { note: 'n'.repeat(MAX_SEALED_EVENT_BYTES) });
    const run = await importFile(await fileOf(lines([valid[0], big])));
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/line 2: .*note: Too big[\s\S]*at most 131072/);
    await expectNothingWritten();
  });

  it('refuses a __proto__ key without touching any object prototype', async () => {
    const hostile = `{"__proto__":{"polluted":true},${JSON.stringify(valid[0]).slice(1)}\n`;
    const run = await importFile(await fileOf(hostile));
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/line 1: .*__proto__/);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    await expectNothingWritten();
  });

  it('says a missing file or a directory cannot be imported, with exit 2', async () => {
    const missing = await importFile(join(workDir, 'no-such.ndjson'));
    expect(missing).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(missing.stderr).toContain(`${join(workDir, 'no-such.ndjson')}: no such file`);
    const directory = await importFile(workDir);
    expect(directory.code).toBe(EXIT.usage);
    expect(directory.stderr).toContain(`${workDir}: not a file`);
    await expectNothingWritten();
  });

  it('imports an empty file as nothing, and accepts CRLF line endings, blank lines and a BOM', async () => {
    const empty = await importFile(await fileOf(''));
    expect(empty).toMatchObject({ code: EXIT.ok });
    expect(empty.stdout).toContain('0 written, 0 already present, 0 cases.');
    const windows = `\uFEFF${valid.map((event) => JSON.stringify(event)).join('\r\n\r\n')}\r\n`;
    const run = await importFile(await fileOf(windows));
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('3 written, 0 already present, 1 case.');
    expect(await targetServices.ledger.readStream('input-case')).toEqual(valid);
  });
});

describe('the command line of import', () => {
  it('without a file is a usage error, exit 2', async () => {
    const stdout = new TextSink();
    const stderr = new TextSink();
    const code = await runCli(['import'], { env: {}, cwd: workDir, stdout, stderr });
    expect(code).toBe(EXIT.usage);
    expect(stderr.text).toContain("error: missing required argument 'file'");
  });
});
