import { LocalError } from '../local-error.ts';
/** Exit codes of `npx ledger` (local/cli/README-section.md). */
export const EXIT = {
  ok: 0,
  /** The command ran and found a problem, or could not finish: a broken chain, a refused import, no DynamoDB. */
  failed: 1,
  /** The command line was wrong: an unknown option, a bad value, a file that cannot be read or written. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/**
 * A failure the command has already put into words: its message is all the user needs (no stack trace), and
 * it says which exit code it ends with.
 */
export class CommandFailure extends LocalError {
  readonly code: string = 'command_failed';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CommandFailure';
  }
}

/** Ctrl-C: the command stopped taking new work and let what was running finish. */
export class InterruptedError extends CommandFailure {
  override readonly code = 'interrupted';
  constructor() {
    super('Interrupted.', EXIT.interrupted);
    this.name = 'InterruptedError';
  }
}

/** A file named on the command line cannot be read (`import`) or written (`export --out`). */
export class InputFileError extends CommandFailure {
  override readonly code = 'input_file_unreadable';
  constructor(message: string, options?: ErrorOptions) {
    super(message, EXIT.usage, options);
    this.name = 'InputFileError';
  }
}
