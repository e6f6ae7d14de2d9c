import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** How a process ended, and everything it printed. */
export interface ProcessRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end as a user would from a shell, with no input, and keeps what it printed. Waits for
 * `close`, not `exit`, so that output still in the pipes when the process exits is not lost.
 */
export async function runToExit(
  command: string,
  args: readonly string[],
  options: {
    readonly cwd: string;
    readonly env: NodeJS.ProcessEnv;
    /** Kills the process if it runs longer: for commands expected to end at once, whose regression would not. */
    readonly timeoutMs?: number;
  },
): Promise<ProcessRun> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
