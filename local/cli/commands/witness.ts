import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import {
  formatVerifierKey,
  parseVerifierKey,
  SIGNATURE_TYPE,
  type VerifierKey,
} from '../../../domain/log/verifier-key.ts';
import { LocalError } from '../../local-error.ts';
import { loadOrCreateEd25519KeyFile } from '../../log-key-file.ts';
import { createWitnessApp } from '../../witness/witness-app.ts';
import { openWitnessState, type WitnessState } from '../../witness/witness-state.ts';
import { CommandFailure, EXIT } from '../cli-errors.ts';
import { writeText } from '../write-text.ts';

export interface WitnessCommandOptions {
  /** The witness's key name, e.g. `witness.ngo-b.example/w1`. */
  readonly name: string;
  readonly keyFile: string;
  /** The verifier keys of the logs it watches, as given. */
  readonly logs: readonly string[];
  readonly host: string;
  readonly port: number;
  readonly state: string;
}

export interface WitnessIO {
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Aborted on Ctrl-C: the witness stops once the request in hand is answered and kept. */
  readonly signal?: AbortSignal;
  readonly clock?: () => Date;
}

/** The log keys, each checked: a witness trusting a key it cannot read would refuse that log for ever. */
function logKeysOf(texts: readonly string[]): VerifierKey[] {
  return texts.map((text) => {
    let key: VerifierKey;
    try {
      key = parseVerifierKey(text);
    } catch (error) {
      throw new CommandFailure(`--log ${text}: not a verifier key: ${(error as Error).message}`, EXIT.usage);
    }
    if (key.type !== SIGNATURE_TYPE.ed25519) {
      throw new CommandFailure(
        `--log ${text}: a log's verifier key has type 0x01 (Ed25519); this one is of type 0x0${key.type.toString(16)}, a witness's.`,
        EXIT.usage,
      );
    }
    return key;
  });
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new CommandFailure(`Port ${port} on ${host} is taken: give the witness another with --port.`)
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
            ? new CommandFailure(
                `Cannot listen on ${host}: no such address on this machine (--host).`,
                EXIT.usage,
              )
            : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePromise(server.address() as AddressInfo);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeIdleConnections();
  });
}

/**
 * `ledger witness`: a C2SP tlog-witness for other organisations' logs, until Ctrl-C. Prints its own verifier
 * key (type 0x04) on stdout once it listens, for the logs' operators to configure; says on stderr where it
 * listens, what it watches, and every validly signed checkpoint it refuses (a fork or rollback is evidence).
 */
export async function runWitness(io: WitnessIO, options: WitnessCommandOptions): Promise<number> {
  const logs = logKeysOf(options.logs);
  const keyFile = resolve(io.cwd, options.keyFile);
  const key = await loadOrCreateEd25519KeyFile(keyFile);
  const verifierKey = formatVerifierKey(options.name, SIGNATURE_TYPE.cosignatureV1, key.publicKey);
  let state: WitnessState | undefined;
  let server: Server | undefined;
  try {
    state = await openWitnessState(resolve(io.cwd, options.state));
    const app = createWitnessApp({
      state,
      logs,
      key: { name: options.name, publicKey: key.publicKey, sign: key.sign },
      ...(io.clock && { clock: io.clock }),
      log: (line) => io.stderr.write(`witness: ${line}\n`),
    });
    server = createServer(getRequestListener(app.fetch));
    // A client that sends its headers or body at a crawl holds no socket for long.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    if (io.signal?.aborted) return EXIT.interrupted;
    const address = await listen(server, options.host, options.port);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const origins = [...new Set(logs.map((log) => log.name))];
    await writeText(
      io.stderr,
      `Witness ${options.name} listening on http://${host}:${address.port} ` +
        `(POST /add-checkpoint, GET /<origin hash>/checkpoint), watching ${origins.length} log(s): ` +
        `${origins.join(', ')}; state in ${state.file}. Its verifier key (give it to the logs' operators):\n`,
    );
    await writeText(io.stdout, `${verifierKey}\n`);
    // Without a signal (no Ctrl-C to wait for) it serves until the process is killed.
    if (io.signal === undefined) await new Promise(() => undefined);
    else if (!io.signal.aborted) await once(io.signal, 'abort');
    await writeText(io.stderr, 'Stopping the witness…\n');
    return EXIT.ok;
  } finally {
    if (server?.listening) await close(server);
    await state?.close();
  }
}

/**
 * `runWitness` as the command line runs it: a failure becomes one message on stderr and an exit code (2 for
 * a bad argument, 1 for anything else); `debug` adds the stack trace of an error nobody put into words.
 */
export async function witnessCommand(
  io: WitnessIO,
  options: WitnessCommandOptions,
  debug: boolean,
): Promise<number> {
  try {
    return await runWitness(io, options);
  } catch (error) {
    if (error instanceof CommandFailure) {
      await writeText(io.stderr, `${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof LocalError) {
      await writeText(io.stderr, `${error.message}\n`);
      return EXIT.failed;
    }
    const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await writeText(io.stderr, `Failed: ${described} (--debug shows where)\n`);
    if (debug && error instanceof Error && error.stack) await writeText(io.stderr, `${error.stack}\n`);
    return EXIT.failed;
  }
}
