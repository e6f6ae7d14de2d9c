import { describe, expect, it } from 'vitest';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runCli } from '../../local/cli/program.ts';
import { TextSink } from './cli-harness.ts';

/** The command line itself, in process: what every command offers and how a wrong one is refused. */

async function cli(args: readonly string[]) {
  const stdout = new TextSink();
  const stderr = new TextSink();
  // An endpoint nobody listens on: none of these may get as far as connecting.
  const env = {
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    LEDGER_TABLE: 'nowhere',
    VIEWS_TABLE: 'nowhere-views',
  };
  const code = await runCli(args, { env, cwd: process.cwd(), stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const commands = ['verify', 'export', 'import', 'rebuild-views', 'digest'];

describe('ledger --help', () => {
  it('lists every command with what it does, where it connects and the exit codes', async () => {
    const help = await cli(['--help']);
    expect(help).toMatchObject({ code: EXIT.ok, stderr: '' });
    for (const command of commands) expect(help.stdout).toMatch(new RegExp(`^ {2}${command} .* {2}\\S`, 'm'));
    expect(help.stdout).toContain('DYNAMODB_ENDPOINT set');
    expect(help.stdout).toContain('a running npm start');
    expect(help.stdout).toContain('Exit codes: 0 done, 1 failed');
  });

  it.each(commands)('%s --help has a description and an example, exit 0', async (command) => {
    const help = await cli([command, '--help']);
    expect(help).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(help.stdout).toContain(`Usage: ledger ${command}`);
    expect(help.stdout.split('\n')[2]!.length).toBeGreaterThan(20);
    expect(help.stdout).toMatch(/Examples?:\n {2}\$ npx ledger /);
  });

  it('is also `ledger help COMMAND`', async () => {
    expect((await cli(['help', 'import'])).stdout).toContain('Usage: ledger import [options] <file>');
  });
});

describe('a bad command line', () => {
  it.each([
    [['verify', '--bogus'], "error: unknown option '--bogus'"],
    [['verify'], 'error: give a case id or --all (not both)'],
    [['verify', 'case-1', '--all'], 'error: give a case id or --all (not both)'],
    [['verify', '#digest'], "error: '#digest' is not a case id: a case id is 1-128 of"],
    [['verify', '--all', '--concurrency', '0'], 'a whole number from 1 to 64'],
    [['rebuild-views', '--concurrency', 'many'], 'a whole number from 1 to 64'],
    [['export', '--format', 'csv'], "argument 'csv' is invalid. Allowed choices are ndjson."],
    [['export', '--out'], "error: option '--out <file>' argument missing"],
    [['import'], "error: missing required argument 'file'"],
    [['import', 'a.ndjson', 'b.ndjson'], 'error: too many arguments'],
    [['digest', 'now'], 'error: too many arguments'],
    [['rebuild'], "error: unknown command 'rebuild'"],
    [[], 'Usage: ledger [options] [command]'],
  ])('%j is refused with exit 2, the reason on stderr and nothing on stdout', async (args, message) => {
    const refused = await cli(args);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toContain(message);
    expect(refused.stdout).toBe('');
  });

  it('names an export file that cannot be written with exit 2, before reading the ledger', async () => {
    const unwritable = await cli(['export', '--format', 'ndjson', '--out', '/no-such-dir/ledger.ndjson']);
    expect(unwritable.code).toBe(EXIT.usage);
    expect(unwritable.stderr).toMatch(/\/no-such-dir\/ledger\.ndjson: cannot be written \(ENOENT\)\n$/);
  });

  it('names a file that is not there with exit 2, before connecting anywhere', async () => {
    const missing = await cli(['import', 'no-such-file.ndjson']);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/no-such-file\.ndjson: no such file\n$/);
  });
});
