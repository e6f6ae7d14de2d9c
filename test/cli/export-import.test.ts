import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEvent } from '../../domain/hash-chain.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import type { Services } from '../../functions/services.ts';
import { EXIT, InterruptedError } from '../../local/cli/cli-errors.ts';
import { runExport } from '../../local/cli/commands/export.ts';
import { ImportFileError, runImport } from '../../local/cli/commands/import.ts';
import { runVerify } from '../../local/cli/commands/verify.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { harness, seedCase } from './cli-harness.ts';

/** Ten cases of 3 to 12 events, and one of 130: more than one transaction and more than one import batch. */
const LENGTHS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 130];
const TOTAL = LENGTHS.reduce((sum, length) => sum + length, 0);

let source: TestTables;
let sourceServices: Services;
let workDir: string;
let exportFile: string;
const targets: TestTables[] = [];

/** A fresh, empty ledger to import into. */
async function emptyLedger(): Promise<Services> {
  const tables = await createTestTables('cli-target');
  targets.push(tables);
  return servicesOn(tables);
}

async function streamsOf(services: Services): Promise<Map<string, StoredEvent[]>> {
  const streams = new Map<string, StoredEvent[]>();
  for await (const caseId of services.ledger.caseIds()) {
    streams.set(caseId, await services.ledger.readStream(caseId));
  }
  return streams;
}

async function exportLines(): Promise<string[]> {
  return (await readFile(exportFile, 'utf8')).trimEnd().split('\n');
}

async function writeLines(name: string, lines: readonly string[]): Promise<string> {
  const file = join(workDir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

beforeAll(async () => {
  source = await createTestTables('cli-source');
  sourceServices = servicesOn(source);
  await Promise.all(LENGTHS.map((length, index) => seedCase(sourceServices, `case-${index}`, index, length)));
  workDir = await mkdtemp(join(tmpdir(), 'ledger-cli-'));
  exportFile = join(workDir, 'ledger.ndjson');
  const { context, stderr } = harness(sourceServices);
  const report = await runExport(context, { format: 'ndjson', out: exportFile });
  expect(report).toEqual({ exitCode: EXIT.ok, cases: LENGTHS.length, events: TOTAL });
  expect(stderr.text).toContain(`Exported ${TOTAL} events of ${LENGTHS.length} cases to ${exportFile}.`);
});

afterAll(async () => {
  await Promise.all([source.drop(), ...targets.map((tables) => tables.drop())]);
  await rm(workDir, { recursive: true, force: true });
});

describe('export', () => {
  it('writes every event with its envelope and hashes, one JSON object per line, case by case in version order', async () => {
    const lines = (await exportLines()).map((line) => JSON.parse(line) as StoredEvent);
    expect(lines).toHaveLength(TOTAL);
    const byCase = new Map<string, number[]>();
    for (const event of lines)
      byCase.set(event.streamId, [...(byCase.get(event.streamId) ?? []), event.version]);
    expect(byCase.size).toBe(LENGTHS.length);
    for (const [caseId, versions] of byCase) {
      const length = LENGTHS[Number(caseId.slice('case-'.length))]!;
      expect(versions).toEqual(Array.from({ length }, (_, i) => i + 1));
    }
    // A case's lines are contiguous: the case ids change exactly as often as there are cases, less one.
    const changes = lines.filter((event, i) => i > 0 && event.streamId !== lines[i - 1]!.streamId).length;
    expect(changes).toBe(LENGTHS.length - 1);
    expect(Object.keys(lines[0]!)).toEqual(
      expect.arrayContaining(['recordedAt', 'recordedBy', 'prevHash', 'hash']),
    );
  });

  it('writes to stdout when no file is given, the same bytes as to a file, which has no partial left beside it', async () => {
    expect(existsSync(`${exportFile}.partial`)).toBe(false);
    const { context, stdout } = harness(sourceServices);
    await runExport(context, { format: 'ndjson' });
    expect(stdout.text).toBe(await readFile(exportFile, 'utf8'));
  });
});

describe('export, then import into an empty ledger', () => {
  it('reproduces every event and every hash, verifies, and exports to the same bytes', async () => {
    const target = await emptyLedger();
    const { context, stdout } = harness(target);
    const report = await runImport(context, { file: exportFile });
    expect(report).toEqual({ exitCode: EXIT.ok, written: TOTAL, skipped: 0, cases: LENGTHS.length });
    expect(stdout.text).toBe(
      `Imported ${exportFile}: ${TOTAL} written, 0 already present, ${LENGTHS.length} cases.\n`,
    );

    expect(await streamsOf(target)).toEqual(await streamsOf(sourceServices));
    const verified = await runVerify(harness(target).context, { all: true });
    expect(verified).toMatchObject({ exitCode: EXIT.ok, cases: LENGTHS.length, events: TOTAL, broken: [] });

    const copy = harness(target);
    await runExport(copy.context, { format: 'ndjson' });
    expect(copy.stdout.text).toBe(await readFile(exportFile, 'utf8'));
  });

  it('is idempotent: importing the same file again writes nothing and says everything was already present', async () => {
    const target = await emptyLedger();
    await runImport(harness(target).context, { file: exportFile });
    const again = harness(target);
    const report = await runImport(again.context, { file: exportFile, json: true });
    expect(report).toMatchObject({ written: 0, skipped: TOTAL, cases: LENGTHS.length });
    expect(JSON.parse(again.stdout.text)).toEqual({
      file: exportFile,
      written: 0,
      skipped: TOTAL,
      cases: LENGTHS.length,
    });
  });

  it('shows progress on stderr as plain lines when stderr is not a terminal', async () => {
    const target = await emptyLedger();
    const { context, stderr } = harness(target, { every: 100 });
    await runImport(context, { file: exportFile });
    // The check counts line by line; the import by batch, a case at a time.
    expect(stderr.text).toContain('checked: 100 events\nchecked: 200 events\n');
    expect(stderr.text).toMatch(new RegExp(`^imported: \\d+ of ${TOTAL} events$`, 'm'));
    expect(stderr.text).not.toContain('\r');
  });
});

describe('an interrupted import', () => {
  it('continues when the full file is imported after a truncated one, and reports what was already present', async () => {
    const lines = await exportLines();
    // Cut inside the long case, so one case is half imported.
    const longStart = lines.findIndex((line) => line.includes('"streamId":"case-10"'));
    const cut = longStart + 70;
    const truncated = await writeLines('truncated.ndjson', lines.slice(0, cut));
    const target = await emptyLedger();

    const first = await runImport(harness(target).context, { file: truncated });
    expect(first.written).toBe(cut);
    expect((await target.ledger.head('case-10'))?.version).toBe(70);

    const rest = harness(target);
    const second = await runImport(rest.context, { file: exportFile });
    expect(second).toMatchObject({ exitCode: EXIT.ok, written: TOTAL - cut, skipped: cut });
    expect(rest.stdout.text).toContain(
      `${TOTAL - cut} written, ${cut} already present, ${LENGTHS.length} cases`,
    );
    expect(await streamsOf(target)).toEqual(await streamsOf(sourceServices));
  });

  it('stops between batches on Ctrl-C, says how to continue, and completes when run again', async () => {
    const target = await emptyLedger();
    const interrupt = new AbortController();
    // The abort comes after the first batch is written, as a Ctrl-C in the middle of the import would.
    const ledger = new Proxy(target.ledger, {
      get(store, property) {
        if (property === 'importEvents') {
          return async (caseId: string, events: readonly StoredEvent[]) => {
            const result = await store.importEvents(caseId, events);
            interrupt.abort();
            return result;
          };
        }
        const value = Reflect.get(store, property, store);
        return typeof value === 'function' ? value.bind(store) : value;
      },
    });
    const stopped = harness({ ...target, ledger }, { signal: interrupt.signal });
    const error = await runImport(stopped.context, { file: exportFile, concurrency: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(EXIT.interrupted);
    expect(stopped.stderr.text).toMatch(
      /Stopped after \d+ written, 0 already present, [12] cases?\. Run the same import again/,
    );
    const partly = [...(await streamsOf(target)).values()].flat().length;
    expect(partly).toBeGreaterThan(0);
    expect(partly).toBeLessThan(TOTAL);

    const resumed = await runImport(harness(target).context, { file: exportFile });
    expect(resumed).toMatchObject({ written: TOTAL - partly, skipped: partly });
    expect(await streamsOf(target)).toEqual(await streamsOf(sourceServices));
  });
});

describe('an import that does not hold', () => {
  async function refusedAt(lines: readonly string[]): Promise<{ error: ImportFileError; target: Services }> {
    const target = await emptyLedger();
    const file = await writeLines('refused.ndjson', lines);
    const error = await runImport(harness(target).context, { file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    return { error: error as ImportFileError, target };
  }

  async function expectEmpty(target: Services): Promise<void> {
    expect((await streamsOf(target)).size).toBe(0);
  }

  it('refuses a line whose content was changed, naming the line, and writes nothing at all', async () => {
    const lines = await exportLines();
    const index = lines.findIndex((line) => line.includes('"type":"ConsularVisit"'));
    const event = JSON.parse(lines[index]!) as StoredEvent & { data: { by: string } };
    const tampered = [...lines];
    tampered[index] = JSON.stringify({ ...event, data: { ...event.data, by: 'Another embassy' } });
    const { error, target } = await refusedAt(tampered);
    expect(error.line).toBe(index + 1);
    expect(error.message).toContain(
      `line ${index + 1}: ${event.streamId} version ${event.version}: the hash does not match`,
    );
    expect(error.exitCode).toBe(EXIT.failed);
    await expectEmpty(target);
  });

  it('refuses an edited event whose hash was recomputed, at the next line, whose prevHash no longer matches', async () => {
    const lines = await exportLines();
    const index = lines.findIndex((line) => line.includes('"version":2,'));
    const { hash: _, ...event } = JSON.parse(lines[index]!) as StoredEvent;
    const edited = { ...event, note: 'inserted later' };
    const tampered = [...lines];
    tampered[index] = JSON.stringify({ ...edited, hash: hashEvent(edited) });
    const { error, target } = await refusedAt(tampered);
    expect(error.line).toBe(index + 2);
    expect(error.message).toContain('prevHash is not the hash of version 2');
    await expectEmpty(target);
  });

  it('refuses a chain with a missing event and one with two events swapped', async () => {
    const lines = await exportLines();
    const index = lines.findIndex((line) => line.includes('"version":3,'));
    const gap = await refusedAt([...lines.slice(0, index), ...lines.slice(index + 1)]);
    expect(gap.error.message).toContain('version 4 follows version 2: versions must run on without a gap');
    await expectEmpty(gap.target);
    const swapped = [...lines];
    [swapped[index], swapped[index + 1]] = [swapped[index + 1]!, swapped[index]!];
    const swap = await refusedAt(swapped);
    expect(swap.error.line).toBe(index + 1);
    await expectEmpty(swap.target);
  });

  it('refuses a case whose history differs from the one the ledger holds, leaving that case as it was', async () => {
    const target = await emptyLedger();
    // The target already holds a case-3 of its own, with other events under the same versions.
    await seedCase(target, 'case-3', 99, 4);
    const before = await target.ledger.readStream('case-3');
    const error = await runImport(harness(target).context, { file: exportFile }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /ledger\.ndjson lines \d+-\d+: case-3 version 1 is already in the ledger with a different hash; nothing was written\./,
    );
    expect((error as { exitCode: number }).exitCode).toBe(EXIT.failed);
    expect(await target.ledger.readStream('case-3')).toEqual(before);
  });
});
