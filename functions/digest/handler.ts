import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { loadRuntimeConfig } from '../config.ts';
import { createDynamoDBClients } from '../dynamodb-clients.ts';
import { DIGEST_SETTLE_MS, type DigestRunResult } from '../store/digest-store.ts';
import { createStores } from '../stores.ts';
import { isContinueOnly } from './digest-input.ts';

const config = loadRuntimeConfig();
const logger = new Logger({ serviceName: 'detention-ledger' });
const { digests } = createStores({ clients: createDynamoDBClients(config.dynamodb), tables: config.tables });

export type DigestHandlerResult =
  | {
      done: true;
      sequence: number;
      cases: number;
      events: number;
      root: string;
      kind: 'full' | 'incremental';
    }
  | { done: false; runId: string; at: string; leaves: number; invocations: number; reason: string }
  | { done: false; reason: 'no_run_under_way' };

/**
 * Takes a ledger digest on a schedule: the Merkle root over every case head, appended to the ledger. After
 * the first, a digest reads only the cases changed since the one before. A full one that would not fit the
 * invocation's time saves its progress and answers `{ done: false }`; the next invocation continues it —
 * the frequent continuing schedule (input `CONTINUE_ONLY`, which does nothing when no run is under way) or
 * the next digest's. A failure throws, so the invocation counts as an error and the errors alarm fires.
 */
export const handler = async (
  event: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<DigestHandlerResult> => {
  const remaining = context && { remainingMs: () => context.getRemainingTimeInMillis() };
  if (isContinueOnly(event)) {
    const result = await digests.continueRun({ ...remaining });
    return result ? report(result) : { done: false, reason: 'no_run_under_way' };
  }
  return report(await digests.run({ at: new Date(Date.now() - DIGEST_SETTLE_MS), ...remaining }));
};

function report(result: DigestRunResult): DigestHandlerResult {
  if (!result.done) {
    logger.info('ledger digest run saved, to be continued', { ...result });
    const { runId, at, leaves, invocations, reason } = result;
    return { done: false, runId, at, leaves, invocations, reason };
  }
  const { digest, kind } = result;
  logger.info('ledger digest taken', {
    ...digest,
    kind,
    casesRead: result.casesRead,
    invocations: result.invocations,
  });
  const { sequence, cases, events, root } = digest;
  return { done: true, sequence, cases, events, root, kind };
}
