import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CosignedCheckpoint,
  openWitnessState,
  WitnessStateFileError,
} from '../../local/witness/witness-state.ts';
import { WitnessStateInUseError } from '../../local/witness/witness-state-lock.ts';

/** The witness's state file and its lock, through openWitnessState. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'witness-state-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const record = (size: number): CosignedCheckpoint => ({
  size,
  root: new Uint8Array(32).fill(size),
  checkpoint: `log.example/x\n${size}\n${Buffer.alloc(32, size).toString('base64')}\n\n— log.example/x AAAA\n`,
  cosignedAt: '2026-12-02T10:00:00.000Z',
});

describe('the witness state', () => {
  it('keeps what was decided across a close and a reopen, and nothing that was not', async () => {
    const file = join(dir, 'kept.json');
    const state = await openWitnessState(file);
    expect(await state.decide('log.example/x', async () => ({ next: record(3), answer: 'cosigned' }))).toBe(
      'cosigned',
    );
    expect(await state.decide('log.example/x', async () => ({ answer: 'refused' }))).toBe('refused');
    await expect(
      state.decide('log.example/x', async () => {
        throw new Error('the signer failed');
      }),
    ).rejects.toThrow('the signer failed');
    await state.close();
    const reopened = await openWitnessState(file);
    expect(reopened.latest('log.example/x')).toEqual(record(3));
    expect(reopened.origins()).toEqual(['log.example/x']);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await reopened.close();
  });

  it('lets one decision see the one before it: no two decide on the same record', async () => {
    const state = await openWitnessState(join(dir, 'serial.json'));
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () =>
        state.decide('log.example/x', async (current) => {
          seen.push(current?.size ?? 0);
          await new Promise((resolve) => setImmediate(resolve));
          return { next: record((current?.size ?? 0) + 1), answer: undefined };
        }),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(state.latest('log.example/x')?.size).toBe(20);
    await state.close();
  });

  it('refuses a second opening while the first holds it, in this process or another', async () => {
    const file = join(dir, 'locked.json');
    const first = await openWitnessState(file);
    await expect(openWitnessState(file)).rejects.toBeInstanceOf(WitnessStateInUseError);
    await first.close();
    await (await openWitnessState(file)).close();
  });

  it('takes over the lock of a process that is gone', async () => {
    const file = join(dir, 'stale.json');
    const child = spawn(process.execPath, ['-e', '0']);
    await once(child, 'exit');
    await writeFile(`${file}.lock`, `${child.pid}\n`);
    const state = await openWitnessState(file);
    expect(await readFile(`${file}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await state.close();
  });

  const corrupt: Array<[string, string]> = [
    ['not JSON', '{"format":'],
    ['another format', '{"format":"something-else","logs":{}}'],
    [
      'a negative size',
      '{"format":"detention-ledger-witness-state/v1","logs":{"x":{"size":-1,"root":"","checkpoint":"c","cosignedAt":""}}}',
    ],
    [
      'a root of 31 bytes',
      `{"format":"detention-ledger-witness-state/v1","logs":{"x":{"size":1,"root":"${Buffer.alloc(31).toString('base64')}","checkpoint":"c","cosignedAt":""}}}`,
    ],
    ['an unknown field', `{"format":"detention-ledger-witness-state/v1","logs":{},"extra":1}`],
  ];
  for (const [what, text] of corrupt) {
    it(`refuses a state file with ${what}, leaving it and the lock as they were`, async () => {
      const file = join(dir, `corrupt-${what.replaceAll(' ', '-')}.json`);
      await writeFile(file, text);
      await expect(openWitnessState(file)).rejects.toBeInstanceOf(WitnessStateFileError);
      expect(await readFile(file, 'utf8')).toBe(text);
      await expect(stat(`${file}.lock`)).rejects.toThrow();
    });
  }
});
