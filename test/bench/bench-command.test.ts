import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runToExit } from '../support/run-to-exit.ts';

/** `npm run bench` as a user runs it; only its refusals here, which answer before anything is started. */
const root = fileURLToPath(new URL('../../', import.meta.url));

function bench(args: readonly string[]) {
  return runToExit(process.execPath, ['--import', 'tsx', 'local/bench/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Each of these should end at once; one that did not would be running the whole benchmark.
    timeoutMs: 20_000,
  });
}

describe('npm run bench refuses what it cannot do, at once and in one line', () => {
  it('names an unknown family and the ones there are', async () => {
    const { code, stderr } = await bench(['--only', 'read,bogus']);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'unknown family "bogus"; choose from append, read, lag, log, growth, scale, rebuild, notify, browser, bundle',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses scale sizes that are not whole numbers of cases', async () => {
    for (const sizes of ['1000,ten', '0', '1e3.5', '2000000']) {
      const { code, stderr } = await bench(['--only', 'scale', '--scale-sizes', sizes]);
      expect(code).toBe(1);
      expect(stderr).toContain('give whole numbers of cases from 1 to 1,000,000, comma-separated');
    }
  });

  it('refuses an empty family list', async () => {
    const { code, stderr } = await bench(['--only', '']);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown family ""');
  });

  it('refuses a results file in a directory that does not exist, before measuring anything', async () => {
    const { code, stderr } = await bench(['--out', '/nonexistent-dir-for-bench/results.json']);
    expect(code).toBe(1);
    expect(stderr).toContain('no directory /nonexistent-dir-for-bench to write it in');
    expect(stderr).not.toContain('append:');
  });

  it('refuses a results path that is a directory', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'bench-out-'));
    try {
      const { code, stderr } = await bench(['--out', directory]);
      expect(code).toBe(1);
      expect(stderr).toContain(`${directory} is a directory; name a file`);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses a warm-up that is not a number of seconds from 0 to 600', async () => {
    for (const value of ['-1', 'abc', '601', '']) {
      const { code, stderr } = await bench(['--warm-up', value]);
      expect(code).toBe(1);
      expect(stderr).toContain('give a number of seconds from 0 to 600');
    }
  });

  it('refuses to update a document it cannot read, or one without markers, before measuring anything', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'bench-docs-'));
    try {
      const missing = join(directory, 'missing.md');
      const absent = await bench(['--update-docs', missing]);
      expect(absent.code).toBe(1);
      expect(absent.stderr).toContain(`--update-docs cannot read ${missing}`);
      const unmarked = join(directory, 'benchmarks.md');
      await writeFile(unmarked, '# Benchmarks\n\nNo markers here.\n', 'utf8');
      const { code, stderr } = await bench(['--update-docs', unmarked]);
      expect(code).toBe(1);
      expect(stderr).toContain(`${unmarked} has no "<!-- bench:begin`);
      expect(stderr).not.toContain('append:');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses an option it does not know, and explains itself with --help', async () => {
    expect((await bench(['--nonsense'])).stderr).toContain("unknown option '--nonsense'");
    const help = await bench(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--only <families>');
    expect(help.stdout).toContain('--warm-up <seconds>');
    expect(help.stdout).toContain('--update-docs [file]');
  });
});
