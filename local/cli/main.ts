/**
 * `npx ledger …` (through bin.mjs) and `npm run ledger -- …`: the command-line tool of the ledger's keepers. A thin shell
 * around `runCli`: the process's streams and environment, Ctrl-C, and the exit code.
 */
import '../sdk-node-notice.ts';
import { runCli } from './program.ts';

const interrupt = new AbortController();
process.on('SIGINT', () => {
  // The first Ctrl-C lets the running batch finish, so an import stops between two whole batches; a second
  // one does not wait. Nothing is printed here: a progress bar may be drawing on stderr; the command says how
  // far it got once its bar is done.
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});

// A reader that stops early (`ledger export … | head`) closes the pipe: the write in hand fails and the command
// says so; without this listener the stream's 'error' event would crash the process with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
});
