import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { isLedgerStreamEvent } from '../../notify/handlers/notifier-event.ts';
import { integratorOnAws, type LogPassSummary } from './integrator-on-aws.ts';

const integrator = integratorOnAws();

/**
 * The log's integrator on Lambda. Invoked by the ledger's stream (event INSERTs only, filtered by the event
 * source), it integrates the batch and publishes, failing the batch when it cannot, so the stream delivers it
 * again; invoked by its schedule (or by hand), it runs the backfill and publish pass. A failed pass throws, so
 * the errors alarm fires; the next one resumes where the log's state says.
 */
export const handler = async (
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<DynamoDBBatchResponse | LogPassSummary> => {
  if (isLedgerStreamEvent(event)) return integrator.onRecords(event);
  const summary = await integrator.pass(() => context.getRemainingTimeInMillis());
  integrator.logger.info('log_pass', { ...summary });
  return summary;
};
