import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** The repository's root: where the benchmark's child processes run, as `npm` scripts run. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** A TypeScript entry point run by Node through tsx, and the end of what it printed. */
export interface BenchChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** The last few kilobytes of its stdout and stderr, to explain a failure. */
  output(): string;
  /** Resolves with the first line of stdout that `match` accepts; rejects if the process exits first. */
  line(match: (line: string) => boolean): Promise<string>;
  /** Ends it (SIGTERM, then SIGKILL after ten seconds) and waits until it has exited. Safe to call again. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Starts `node --import tsx <script> …args` in the repository's root. A benchmark that dies without stopping
 * it does not leave it behind: it is killed when this process exits.
 */
export function startTsxChild(script: string, args: readonly string[], env: NodeJS.ProcessEnv): BenchChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => {
    if (!exited(child)) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    });
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let stopping: Promise<void> | undefined;
  return {
    process: child,
    pid: child.pid ?? -1,
    output: () => tail,
    line(match) {
      return new Promise((resolve, reject) => {
        let pending = '';
        const onData = (chunk: Buffer) => {
          pending += chunk.toString('utf8');
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          const found = lines.find(match);
          if (found !== undefined) {
            child.stdout?.off('data', onData);
            resolve(found);
          }
        };
        child.stdout?.on('data', onData);
        void gone.then(() => reject(new Error(`${script} exited (${child.exitCode}):\n${tail.trim()}`)));
      });
    },
    stop() {
      stopping ??= (async () => {
        if (exited(child) || child.pid === undefined) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
