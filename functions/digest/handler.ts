import { Logger } from '@aws-lambda-powertools/logger';
import { loadRuntimeConfig } from '../config.ts';
import { createDynamoDBClients } from '../dynamodb-clients.ts';
import { DIGEST_SETTLE_MS } from '../store/digest-store.ts';
import { createStores } from '../stores.ts';

const config = loadRuntimeConfig();
const logger = new Logger({ serviceName: 'detention-ledger' });
const { digests } = createStores({ clients: createDynamoDBClients(config.dynamodb), tables: config.tables });

/**
 * Takes a ledger digest on a schedule: the Merkle root over every case head, appended to the ledger.
 * A failure throws, so the invocation counts as an error and the stack's alarm on function errors fires.
 */
export const handler = async (): Promise<{
  sequence: number;
  cases: number;
  events: number;
  root: string;
}> => {
  const digest = await digests.take({ at: new Date(Date.now() - DIGEST_SETTLE_MS) });
  logger.info('ledger digest taken', { ...digest });
  return { sequence: digest.sequence, cases: digest.cases, events: digest.events, root: digest.root };
};
