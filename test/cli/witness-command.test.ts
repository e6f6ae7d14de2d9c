import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runCli } from '../../local/cli/program.ts';
import { TextSink } from '../cli/cli-harness.ts';
import { cosignatureTimestamp, noteTextOf, readWitnessVkey } from '../witness/cosignature-check.ts';
import { makeLogKey, TestLog } from '../witness/test-log.ts';
import { startWitnessProcess, type WitnessProcess, witnessArgs } from '../witness/witness-process.ts';

/** `npx ledger witness`: its command line in process, and the witness as a process of its own. */

let dir: string;
const log = new TestLog(makeLogKey('ledger.ngo-a.example/log'));
const running: WitnessProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'witness-cli-'));
});
afterAll(async () => {
  await Promise.all(running.map((witness) => witness.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: readonly string[], signal?: AbortSignal) {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const code = await runCli(args, { env: {}, cwd: dir, stdout, stderr, ...(signal && { signal }) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const good = () => ({
  name: 'witness.ngo-b.example/w1',
  keyFile: join(dir, 'w1.key'),
  state: join(dir, 'w1-state.json'),
  logs: [log.key.vkey],
});

describe('ledger witness, its command line', () => {
  it('explains itself with --help, exit 0', async () => {
    const help = await cli(['witness', '--help']);
    expect(help.code).toBe(EXIT.ok);
    for (const option of ['--name', '--key-file', '--log', '--port', '--host', '--state']) {
      expect(help.stdout).toContain(option);
    }
    expect(help.stdout).toContain('./witness-state.json');
    expect(help.stdout).toContain('3030');
    expect((await cli(['--help'])).stdout).toContain('  witness ');
  });

  const refusals: Array<[string, (args: string[]) => string[], RegExp]> = [
    ['no --name', (args) => args.filter((_, i) => i !== 1 && i !== 2), /--name/],
    ['a --name with a space', (args) => args.map((a, i) => (i === 2 ? 'witness ngo-b' : a)), /key name/],
    ['a --name with a plus', (args) => args.map((a, i) => (i === 2 ? 'w+1' : a)), /key name/],
    ['no --key-file', (args) => args.filter((_, i) => i !== 3 && i !== 4), /--key-file/],
    ['no --log', (args) => args.slice(0, 9), /--log/],
    ['a --port of 70000', (args) => [...args.slice(0, 8), '70000', ...args.slice(9)], /port number/],
    [
      'a --port that is not a number',
      (args) => [...args.slice(0, 8), '30x', ...args.slice(9)],
      /port number/,
    ],
    [
      'a --log that is not a verifier key',
      (args) => [...args.slice(0, 10), 'not-a-key'],
      /not a verifier key/,
    ],
    [
      'a --log whose key id does not match',
      (args) => [...args.slice(0, 10), log.key.vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')],
      /not a verifier key/,
    ],
    ['an unknown option', (args) => [...args, '--frobnicate'], /unknown option/],
  ];
  for (const [what, change, message] of refusals) {
    it(`refuses ${what} with exit 2 and a plain message, starting nothing`, async () => {
      const run = await cli(change(witnessArgs(good())));
      expect(run.code).toBe(EXIT.usage);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
      await expect(stat(good().state)).rejects.toThrow();
    });
  }

  it("refuses a witness's own key (type 0x04) given as a log's", async () => {
    const witness = await startWitnessProcess({ ...good(), state: join(dir, 'probe-state.json') });
    running.push(witness);
    await witness.stop();
    const run = await cli(witnessArgs({ ...good(), logs: [witness.vkey] }));
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(/type 0x01/);
  });

  it('refuses a corrupt state file with exit 1, leaving it as it is', async () => {
    const state = join(dir, 'corrupt-state.json');
    await writeFile(state, '{"format":"detention-ledger-witness-state/v1","logs":{"x":{"size":-1}}}');
    const run = await cli(witnessArgs({ ...good(), state }));
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/cannot be used.*not a witness state/s);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(await readFile(state, 'utf8')).toContain('"size":-1');
  });

  it('runs in process until Ctrl-C, printing its verifier key and where it listens', async () => {
    const stop = new AbortController();
    const stdout = new TextSink();
    const stderr = new TextSink();
    const done = runCli(witnessArgs({ ...good(), state: join(dir, 'inproc-state.json') }), {
      env: {},
      cwd: dir,
      stdout,
      stderr,
      signal: stop.signal,
    });
    while (!stderr.text.includes('listening on')) await new Promise((resolve) => setTimeout(resolve, 20));
    const url = /listening on (http:\/\/\S+) /.exec(stderr.text)![1]!;
    const vkey = readWitnessVkey(stdout.text.trim());
    expect(vkey.name).toBe('witness.ngo-b.example/w1');
    log.append(3);
    const answer = await fetch(`${url}/add-checkpoint`, {
      method: 'POST',
      body: log.addCheckpointBody(0, log.checkpoint()),
    });
    expect(answer.status).toBe(200);
    expect(cosignatureTimestamp(noteTextOf(log.checkpoint()), await answer.text(), vkey)).toBeDefined();
    stop.abort();
    expect(await done).toBe(EXIT.ok);
    await expect(fetch(url)).rejects.toThrow();
    // The lock is given up with the state.
    await expect(stat(join(dir, 'inproc-state.json.lock'))).rejects.toThrow();
  });
});

describe('ledger witness, as a process', () => {
  it('keeps one key: the same verifier key on every start, and the key file readable by its owner only', async () => {
    const options = { ...good(), state: join(dir, 'key-state.json'), keyFile: join(dir, 'keep.key') };
    const first = await startWitnessProcess(options);
    running.push(first);
    expect(await first.stop()).toBe(0);
    const second = await startWitnessProcess(options);
    running.push(second);
    expect(second.vkey).toBe(first.vkey);
    expect(await second.stop()).toBe(0);
    expect((await stat(options.keyFile)).mode & 0o777).toBe(0o600);
  });

  it('refuses a second witness on the same state while the first runs, and says which pid holds it', async () => {
    const options = { ...good(), state: join(dir, 'shared-state.json') };
    const first = await startWitnessProcess(options);
    running.push(first);
    await expect(startWitnessProcess(options)).rejects.toThrow(
      new RegExp(`Another witness \\(pid ${first.child.pid}\\) is using`),
    );
    expect(await first.stop()).toBe(0);
  });

  it('takes over the lock of a witness that was killed, and still holds what it cosigned', async () => {
    const state = join(dir, 'killed-state.json');
    const options = { ...good(), state };
    const first = await startWitnessProcess(options);
    const lonely = new TestLog(log.key).append(4);
    const cosigned = await fetch(`${first.url}/add-checkpoint`, {
      method: 'POST',
      body: lonely.addCheckpointBody(0, lonely.checkpoint()),
    });
    expect(cosigned.status).toBe(200);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const second = await startWitnessProcess(options);
    running.push(second);
    const rollback = await fetch(`${second.url}/add-checkpoint`, {
      method: 'POST',
      body: lonely.addCheckpointBody(0, lonely.checkpoint(1)),
    });
    expect(rollback.status).toBe(409);
    expect(await rollback.text()).toBe(`${lonely.size}\n`);
    expect(await second.stop()).toBe(0);
  });

  it('says so in plain words when its port is taken, exit 1', async () => {
    const first = await startWitnessProcess({ ...good(), state: join(dir, 'port-a.json') });
    running.push(first);
    const port = new URL(first.url).port;
    const args = witnessArgs({ ...good(), state: join(dir, 'port-b.json') }).map((arg, i, all) =>
      all[i - 1] === '--port' ? port : arg,
    );
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../local/cli/bin.mjs'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'close');
    expect(code).toBe(EXIT.failed);
    expect(stderr).toMatch(new RegExp(`Port ${port} on 127.0.0.1 is taken`));
    expect(await first.stop()).toBe(0);
  });
});
