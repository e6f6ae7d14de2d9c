import { Logger } from '@aws-lambda-powertools/logger';
import { ConfigurationError, loadRuntimeConfig } from '../../config.ts';
import { createDynamoDBClients } from '../../dynamodb-clients.ts';
import { createStores } from '../../stores.ts';
import { createLogIntegrator } from '../integrator.ts';
import { type BackfillResult, backfillLog } from '../log-backfill.ts';
import { logRecordsHandler } from '../log-stream-handler.ts';
import { httpWitnesses } from '../witness-client.ts';
import { loadLogAwsConfig } from './log-aws-config.ts';
import { type LogAwsClients, logPartsOnAws } from './log-parts-on-aws.ts';

/**
 * A scheduled pass stops reading the audit feed with this much of the invocation left, so that the round in
 * flight and the checkpoint after it finish well inside the timeout; the next pass resumes from the position
 * kept in the log's state.
 */
export const PASS_RESERVE_MS = 60_000;

/** What a scheduled pass did, as the function answers it (and its log records it). */
export interface LogPassSummary extends BackfillResult {
  /** The size of the newest published checkpoint after the pass. */
  readonly published: number;
}

/**
 * The integrator as a Lambda function builds it from its environment: the ledger's audit feed and the log
 * table in DynamoDB, the tiles in S3 (`LOG_BUCKET`), the key in KMS (`LOG_KMS_KEY_ID`), named `LOG_ORIGIN`,
 * and the witnesses of `LOG_WITNESSES` asked to cosign each checkpoint.
 * The configuration is read once per instance, so a wrong one fails every invocation with the same plain-words
 * error.
 *
 * @throws ConfigurationError when the environment is malformed or does not say where the log is.
 */
export function integratorOnAws(
  env: Record<string, string | undefined> = process.env,
  clients: LogAwsClients = {},
) {
  const runtime = loadRuntimeConfig(env);
  const aws = loadLogAwsConfig(env);
  if (aws === undefined) {
    throw new ConfigurationError([
      'LOG_BUCKET, LOG_KMS_KEY_ID: the integrator needs the tiles bucket and the key that signs the checkpoints',
    ]);
  }
  const logger = new Logger({ serviceName: 'detention-ledger' });
  // The log's code logs a message and an object of details; Powertools takes them as a message and attributes.
  const lines = {
    info: (message: string, extra: object = {}) => logger.info(message, { ...extra }),
    warn: (message: string, extra: object = {}) => logger.warn(message, { ...extra }),
    error: (message: string, extra: object = {}) => logger.error(message, { ...extra }),
  };
  const clock = () => new Date();
  const stores = createStores({ clients: createDynamoDBClients(runtime.dynamodb), tables: runtime.tables });
  const parts = logPartsOnAws(runtime.log, aws, clients);
  const integrator = createLogIntegrator({
    store: stores.log,
    tiles: parts.tiles,
    signer: parts.signer,
    // Each named witness is asked to cosign every checkpoint; one that is down or refuses is logged, not fatal.
    ...(parts.witnesses.length > 0 && { witnesses: httpWitnesses(parts.witnesses) }),
    clock,
    logger: lines,
  });
  return {
    logger,
    /** The live feed: a batch of the ledger's stream, integrated and published before it is acknowledged. */
    onRecords: logRecordsHandler(integrator, lines),
    /**
     * The scheduled pass: the audit feed from the backfill's position, so every event the stream missed or
     * that came before the log gets its index, then the newest checkpoint published (which also finishes
     * what a crashed step left).
     */
    async pass(remainingMs: () => number): Promise<LogPassSummary> {
      const backfill = await backfillLog({
        audit: stores.audit,
        store: stores.log,
        integrator,
        clock,
        stopRequested: () => remainingMs() < PASS_RESERVE_MS,
      });
      const published = await integrator.publish();
      return { ...backfill, published };
    },
  };
}
