import { chmod, mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runCli } from '../../local/cli/program.ts';
import {
  alteredPacketText,
  flipCharacter,
  type MadePacket,
  makeEvidencePacket,
  makeKey,
} from '../support/evidence-packet-maker.ts';
import { runToExit } from '../support/run-to-exit.ts';
import { TextSink } from './cli-harness.ts';

/**
 * `npx ledger verify-evidence FILE` over packets made by the independent maker: what it prints and the exit
 * code, in process for each case and once as a separate process, as a lawyer's laptop would run it. No ledger
 * exists in these tests: the command must need none.
 */

let dir: string;
const made: MadePacket = makeEvidencePacket({ caseId: 'c-evidence-7f3a', events: 12, treeSize: 1042 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-evidence-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function fileOf(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return name;
}

async function verifyEvidence(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new TextSink();
  const stderr = new TextSink();
  // An environment that points at no ledger: nothing here may try to reach one.
  const code = await runCli(['verify-evidence', ...args], { env: {}, cwd: dir, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('ledger verify-evidence', () => {
  it('verifies a valid packet, exit 0, and prints the verdict and the keys to compare', async () => {
    const result = await verifyEvidence(await fileOf('good.json', made.text));
    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toBe(
      "Verified: the 12 events of case c-evidence-7f3a are in the ledger's log at size 1,042, signed by " +
        'localhost/detention-ledger, cosigned by 2 witnesses.',
    );
    expect(result.stdout).toContain(`log key:     ${made.logKey.verifierKey}`);
    for (const witness of made.witnessKeys)
      expect(result.stdout).toContain(`witness key: ${witness.verifierKey} (cosigned at 2025-12-02T10:00`);
  });

  it('verifies an erased subject’s packet, and one without witnesses', async () => {
    const erased = makeEvidencePacket({ events: 5, erased: true, treeSize: 300, witnesses: 0 });
    const result = await verifyEvidence(await fileOf('erased.json', erased.text));
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain('cosigned by no witness.');
  });

  it('prints the verdict as JSON with --json', async () => {
    const result = await verifyEvidence(await fileOf('good-json.json', made.text), '--json');
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      caseId: 'c-evidence-7f3a',
      events: 12,
      checkpoint: { size: 1042, root: made.root.toString('base64') },
      cosigned: 2,
      failures: [],
    });
  });

  const line = made.packet.checkpoint.split('\n').find((text) => text.startsWith('— localhost'))!;
  const root = made.root.toString('base64');
  it.each([
    {
      what: 'an event’s content',
      text: alteredPacketText(made, (packet) => {
        const data = packet.events[4]!.data as { by: string };
        data.by = flipCharacter(data.by, 0);
      }),
      says: 'event version 5: its content is not what its hash says',
    },
    {
      what: 'an event’s link',
      text: alteredPacketText(made, (packet) => {
        packet.events[2]!.prevHash = flipCharacter(packet.events[2]!.prevHash as string, 3);
      }),
      says: 'event version 3:',
    },
    {
      what: 'a proof hash',
      text: alteredPacketText(made, (packet) => {
        packet.proofs[8]!.hashes[2] = flipCharacter(packet.proofs[8]!.hashes[2]!, 4);
      }),
      says: `event version 9: its inclusion proof (entry ${made.packet.proofs[8]!.index} of the log)`,
    },
    {
      what: 'the checkpoint’s root',
      text: alteredPacketText(made, (packet) => {
        packet.checkpoint = packet.checkpoint.replace(root, flipCharacter(root, 10));
      }),
      says: "the log's signature of the checkpoint does not verify",
    },
    {
      what: 'the log’s signature',
      text: alteredPacketText(made, (packet) => {
        packet.checkpoint = packet.checkpoint.replace(line, flipCharacter(line, line.length - 12));
      }),
      says: "the log's signature of the checkpoint does not verify",
    },
    {
      what: 'the log key (another key of the same name)',
      text: alteredPacketText(made, (packet) => {
        packet.logKey = makeKey('localhost/detention-ledger', 0x01).verifierKey;
      }),
      says: "the checkpoint carries no signature by the log's key",
    },
  ])('fails, exit 1, saying where, when one character of $what changed', async ({ what, text, says }) => {
    const result = await verifyEvidence(await fileOf(`tampered-${what.length}.json`, text), '--json');
    expect(result.code, what).toBe(EXIT.failed);
    const verdict = JSON.parse(result.stdout) as { ok: boolean };
    expect(verdict.ok).toBe(false);
    const words = await verifyEvidence(await fileOf(`tampered-${what.length}-words.json`, text));
    expect(words.code).toBe(EXIT.failed);
    expect(words.stdout).toMatch(/^NOT VERIFIED: \d+ checks? failed for case c-evidence-7f3a/);
    expect(words.stdout).toContain(says);
  });

  it.each([
    { name: 'empty.json', text: '', says: 'not an evidence packet: the file is empty' },
    { name: 'cut.json', text: made.text.slice(0, 400), says: 'the file is not JSON' },
    { name: 'other.json', text: '{"format":"other/v9"}', says: 'the file\'s format is "other/v9"' },
    { name: 'array.json', text: '[1,2]', says: 'the file is not an evidence packet' },
    {
      name: 'missing.json',
      text: alteredPacketText(made, (packet) => {
        delete (packet as Record<string, unknown>).checkpoint;
      }),
      says: 'incomplete or malformed at checkpoint',
    },
    {
      name: 'bad-hash.json',
      text: alteredPacketText(made, (packet) => {
        packet.events[1]!.hash = 'not-a-hash';
      }),
      says: 'malformed at events[1].hash',
    },
    {
      name: 'extra-field.json',
      text: alteredPacketText(made, (packet) => {
        packet.events[0]!.unhashed = 'a field the hash does not cover';
      }),
      says: 'malformed at events[0]',
    },
    {
      name: 'stray-proof.json',
      text: alteredPacketText(made, (packet) => {
        packet.proofs.push({ eventId: 'not-in-the-packet', index: 1, hashes: [] });
      }),
      says: 'the proofs do not match the events one to one: a proof names the event not-in-the-packet',
    },
    {
      name: 'twice.json',
      text: alteredPacketText(made, (packet) => {
        packet.proofs[1] = { ...packet.proofs[0]! };
      }),
      says: 'two proofs name the event',
    },
    { name: 'latin1.json', text: '', says: 'the file is not UTF-8 text' },
  ])('refuses $name, exit 2, saying why on stderr', async ({ name, text, says }) => {
    if (name === 'latin1.json') await writeFile(join(dir, name), Buffer.from([0x7b, 0xe9, 0x7d]));
    else await fileOf(name, text);
    const result = await verifyEvidence(name);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${name}: `);
    expect(result.stderr).toContain(says);
  });

  it('refuses a file over 50 MiB by its size, without reading it', async () => {
    const huge = join(dir, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 50 * 1024 * 1024 + 1);
    const result = await verifyEvidence('huge.json');
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('larger than 50 MiB');
  });

  it('says a missing file, a directory and an unreadable file are not readable, exit 2', async () => {
    expect(await verifyEvidence('nowhere.json')).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining('no such file'),
    });
    await mkdir(join(dir, 'folder.json'));
    expect(await verifyEvidence('folder.json')).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining('a directory'),
    });
    if (process.getuid?.() !== 0) {
      const locked = await fileOf('locked.json', made.text);
      await chmod(join(dir, locked), 0o000);
      expect(await verifyEvidence(locked)).toMatchObject({
        code: EXIT.usage,
        stderr: expect.stringContaining('not allowed'),
      });
    }
  });

  it('answers --help and a missing file argument as the other commands do', async () => {
    const help = await verifyEvidence('--help');
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toContain('Usage: ledger verify-evidence [options] <file>');
    // Commander wraps the description to the terminal's width.
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('Exits 0 when every check holds, 1 when one fails');
    const missing = await verifyEvidence();
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toContain("missing required argument 'file'");
  });

  it('runs as `npx ledger` does, in its own process, with exit codes 0, 1 and 2', async () => {
    const bin = fileURLToPath(new URL('../../local/cli/bin.mjs', import.meta.url));
    const good = await fileOf('process-good.json', made.text);
    const bad = await fileOf(
      'process-bad.json',
      alteredPacketText(made, (packet) => {
        packet.events[0]!.recordedBy = 'someone-else';
      }),
    );
    const env = { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const runs = await Promise.all(
      [good, bad, 'empty.json'].map((file) =>
        runToExit(process.execPath, [bin, 'verify-evidence', file], { cwd: dir, env }),
      ),
    );
    expect(runs.map((run) => run.code)).toEqual([EXIT.ok, EXIT.failed, EXIT.usage]);
    expect(runs[0]?.stdout).toMatch(/^Verified: the 12 events/);
    expect(runs[1]?.stdout).toContain('event version 1: its content is not what its hash says');
  });
});
