import { createDynamoDBClients, type DynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { createServices } from '../../functions/services.ts';
import { type CliTarget, describeTarget, resolveTarget } from './cli-config.ts';
import type { CommandContext } from './command-context.ts';
import { explainFailure } from './explain-failure.ts';
import { type ProgressStream, progressOn } from './progress.ts';

/** The outside world of one run of the CLI; `main.ts` passes the process's, tests their own. */
export interface CliIO {
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
  readonly clock?: () => Date;
}

/**
 * Runs one command's work against the ledger the environment points at (`resolveTarget`): says where on
 * stderr, wires the stores through `createServices` as every other entry point does, and turns a failure into
 * one clear message and an exit code. The clients are closed whatever happens.
 */
export async function withLedger(
  io: CliIO,
  options: { readonly debug: boolean },
  work: (context: CommandContext) => Promise<number>,
): Promise<number> {
  let target: CliTarget | undefined;
  let clients: DynamoDBClients | undefined;
  try {
    target = await resolveTarget({ env: io.env, cwd: io.cwd });
    clients = createDynamoDBClients(target.connection);
    const region = target.via === 'aws' ? await clients.client.config.region() : undefined;
    io.stderr.write(`${describeTarget(target, region)}\n`);
    const { ledger, views, digests, caseKeys } = createServices({ clients, tables: target.tables });
    return await work({
      ledger,
      views,
      digests,
      caseKeys,
      stdout: io.stdout,
      stderr: io.stderr,
      progress: progressOn(io.stderr),
      clock: io.clock ?? (() => new Date()),
      ...(io.signal && { signal: io.signal }),
      target: {
        clients,
        tables: target.tables,
        env: io.env,
        via: target.via,
        ...(target.runtime?.dataDir && { dataDir: target.runtime.dataDir }),
        ...(target.runtime?.apiUrl && { apiUrl: target.runtime.apiUrl }),
      },
    });
  } catch (error) {
    const explanation = explainFailure(error, target);
    io.stderr.write(`${explanation.message}\n`);
    if (explanation.unexpected && options.debug && error instanceof Error && error.stack) {
      io.stderr.write(`${error.stack}\n`);
    }
    return explanation.exitCode;
  } finally {
    clients?.client.destroy();
  }
}
