import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../local/bench/bench-options.ts';
import { FULL_SIZES, QUICK_SIZES } from '../../local/bench/bench-sizes.ts';
import { runToExit } from '../support/run-to-exit.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The command line as `npm run bench` reads it, in process: what it prints, and the run or exit code it gives. */
function bench(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const parsed = parseBenchArgs(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code: 'exitCode' in parsed ? parsed.exitCode : undefined, parsed, stdout, stderr };
}

describe('npm run bench, as a user runs it', () => {
  it('refuses at once, in one line and with exit 1, measuring nothing', async () => {
    const { code, stdout, stderr } = await runToExit(
      process.execPath,
      ['--import', 'tsx', 'local/bench/main.ts', '--only', 'read,bogus'],
      {
        cwd: root,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        // It should end at once; one that did not would be running the whole benchmark.
        timeoutMs: 20_000,
      },
    );
    expect(code).toBe(1);
    expect(stderr).toContain('unknown family "bogus"');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('append:');
    expect(stdout).toBe('');
  });
});

describe('npm run bench refuses what it cannot do, in one line', () => {
  it('names an unknown family and the ones there are', () => {
    const { code, stderr } = bench(['--only', 'read,bogus']);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'unknown family "bogus"; choose from append, read, lag, log, growth, scale, rebuild, notify, browser, bundle',
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses scale sizes that are not whole numbers of cases', () => {
    for (const sizes of ['1000,ten', '0', '1e3.5', '2000000']) {
      const { code, stderr } = bench(['--only', 'scale', '--scale-sizes', sizes]);
      expect(code, sizes).toBe(1);
      expect(stderr).toContain('give whole numbers of cases from 1 to 1,000,000, comma-separated');
    }
  });

  it('refuses an empty family list', () => {
    const { code, stderr } = bench(['--only', '']);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown family ""');
  });

  it('refuses a results file in a directory that does not exist', () => {
    const { code, stderr } = bench(['--out', '/nonexistent-dir-for-bench/results.json']);
    expect(code).toBe(1);
    expect(stderr).toContain('no directory /nonexistent-dir-for-bench to write it in');
  });

  it('refuses a results path that is a directory', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'bench-out-'));
    try {
      const { code, stderr } = bench(['--out', directory]);
      expect(code).toBe(1);
      expect(stderr).toContain(`${directory} is a directory; name a file`);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses a warm-up that is not a number of seconds from 0 to 600', () => {
    for (const value of ['-1', 'abc', '601', '']) {
      const { code, stderr } = bench(['--warm-up', value]);
      expect(code, value).toBe(1);
      expect(stderr).toContain('give a number of seconds from 0 to 600');
    }
  });

  it('refuses to update a document it cannot read, or one without markers', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'bench-docs-'));
    try {
      const missing = join(directory, 'missing.md');
      const absent = bench(['--update-docs', missing]);
      expect(absent.code).toBe(1);
      expect(absent.stderr).toContain(`--update-docs cannot read ${missing}`);
      const unmarked = join(directory, 'benchmarks.md');
      await writeFile(unmarked, '# Benchmarks\n\nNo markers here.\n', 'utf8');
      const { code, stderr } = bench(['--update-docs', unmarked]);
      expect(code).toBe(1);
      expect(stderr).toContain(`${unmarked} has no "<!-- bench:begin`);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses an option it does not know, and explains itself with --help', () => {
    const unknown = bench(['--nonsense']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown option '--nonsense'");
    const help = bench(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--only <families>');
    expect(help.stdout).toContain('--warm-up <seconds>');
    expect(help.stdout).toContain('--update-docs [file]');
  });
});

describe('npm run bench runs what it is asked for', () => {
  it('measures every family but scale and notify, at full size, by default', () => {
    const { parsed, stderr } = bench([]);
    expect(stderr).toBe('');
    expect(parsed).toEqual({
      mode: 'full',
      only: ['append', 'read', 'lag', 'log', 'growth', 'rebuild', 'browser', 'bundle'],
      out: 'bench-results.json',
      sizes: FULL_SIZES,
      resultsDoc: undefined,
    });
  });

  it('takes the quick sizes, the families, the scale sizes, the warm-up and the document it is given', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'bench-docs-'));
    try {
      const doc = join(directory, 'benchmarks.md');
      await writeFile(doc, '# Benchmarks\n<!-- bench:begin -->\n<!-- bench:end -->\n', 'utf8');
      const { parsed } = bench([
        '--quick',
        '--only',
        'scale, read,scale',
        '--scale-sizes',
        '500,100',
        '--warm-up',
        '2.5',
        '--update-docs',
        doc,
        '--out',
        join(directory, 'results.json'),
      ]);
      expect(parsed).toEqual({
        mode: 'quick',
        only: ['scale', 'read'],
        out: join(directory, 'results.json'),
        sizes: { ...QUICK_SIZES, scaleCases: [100, 500], systemWarmupMs: 2500 },
        resultsDoc: doc,
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('writes into docs/benchmarks.md when --update-docs names no file', () => {
    const { parsed } = bench(['--update-docs']);
    expect(parsed).toMatchObject({ resultsDoc: join(root, 'docs/benchmarks.md') });
  });
});
