/**
 * The raw pipeline of the lag measurement, run in a process of its own as the system's projector is: the
 * local stream poller at its default settings over a raw table's stream, writing for each key of a batch the
 * newest version it saw, and when (`markedAt`, just before the write, as the projector's `projectedAt`), into
 * a table keyed like the views — no ledger read, no fold, no indexes.
 *
 * Usage: node --import tsx local/bench/raw-stream-reader.ts <endpoint> <stream table> <marks table>
 * Prints `ready` once it reads the stream; stops on SIGTERM.
 */
import '../sdk-node-notice.ts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { createDynamoDBStreamsClient } from '../dynamodb-streams-client.ts';
import { startStreamPoller } from '../stream-poller.ts';

const [endpoint, streamTable, marksTable] = process.argv.slice(2);
if (!endpoint || !streamTable || !marksTable) {
  console.error('usage: raw-stream-reader.ts <endpoint> <stream table> <marks table>');
  process.exit(2);
}

const clients = createDynamoDBClients({ endpoint });
const streamsClient = createDynamoDBStreamsClient({ endpoint });

async function markNewest(event: DynamoDBStreamEvent): Promise<void> {
  const newest = new Map<string, number>();
  for (const record of event.Records) {
    const caseId = record.dynamodb?.Keys?.streamId?.S;
    const version = Number(record.dynamodb?.Keys?.version?.N);
    if (record.eventName === 'INSERT' && caseId !== undefined) {
      newest.set(caseId, Math.max(newest.get(caseId) ?? 0, version));
    }
  }
  await Promise.all(
    [...newest].map(([caseId, version]) =>
      clients.documents.send(
        new PutCommand({ TableName: marksTable, Item: { caseId, version, markedAt: Date.now() } }),
      ),
    ),
  );
}

const poller = await startStreamPoller({
  client: clients.client,
  streamsClient,
  tableName: streamTable,
  handler: markNewest,
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void poller.stop().finally(() => {
    clients.client.destroy();
    streamsClient.destroy();
    process.exit(0);
  });
});
