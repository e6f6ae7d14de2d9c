import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `npx ledger witness` as another organisation runs it: a process of its own, on a port the system picks. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'local/cli/bin.mjs');

export interface WitnessProcess {
  /** Its verifier key (type 0x04), as it printed it on stdout. */
  readonly vkey: string;
  /** Its submission and monitoring prefix, as it printed it on stderr. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Ctrl-C, then its exit code. */
  stop(): Promise<number | null>;
}

export interface WitnessProcessOptions {
  readonly name: string;
  readonly keyFile: string;
  readonly state: string;
  readonly logs: readonly string[];
  readonly cwd?: string;
}

export function witnessArgs(options: WitnessProcessOptions): string[] {
  return [
    'witness',
    '--name',
    options.name,
    '--key-file',
    options.keyFile,
    '--state',
    options.state,
    '--port',
    '0',
    ...options.logs.flatMap((log) => ['--log', log]),
  ];
}

/** Starts a witness and resolves once it listens; rejects with what it printed if it exits first. */
export async function startWitnessProcess(options: WitnessProcessOptions): Promise<WitnessProcess> {
  const child = spawn(process.execPath, [bin, ...witnessArgs(options)], {
    cwd: options.cwd ?? root,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = once(child, 'exit');
  const ready = new Promise<{ vkey: string; url: string }>((resolve, reject) => {
    const check = () => {
      const vkey = /^(\S+\+[0-9a-f]{8}\+\S+)\n/m.exec(stdout)?.[1];
      const url = /listening on (http:\/\/\S+) /.exec(stderr)?.[1];
      if (vkey !== undefined && url !== undefined) resolve({ vkey, url });
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      check();
    });
    void exited.then(([code]) =>
      reject(new Error(`the witness exited with ${code} before it listened:\n${stderr}`)),
    );
  });
  const { vkey, url } = await ready;
  return {
    vkey,
    url,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
