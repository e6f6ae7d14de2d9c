import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';

/** The ARN of a table's current stream. */
export async function findStreamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = Table?.LatestStreamArn;
  if (!arn || Table?.StreamSpecification?.StreamEnabled === false) {
    throw new Error(`table "${tableName}" has no stream enabled, so there is nothing to poll`);
  }
  return arn;
}

/** A shard as the poller needs it: its id and its parent's, when the parent is still listed. */
export interface ShardInfo {
  readonly shardId: string;
  readonly parentShardId?: string;
}

function toShardInfo(shard: Shard): ShardInfo | undefined {
  if (!shard.ShardId) return undefined;
  return { shardId: shard.ShardId, ...(shard.ParentShardId && { parentShardId: shard.ParentShardId }) };
}

/** Every shard of a stream, following `DescribeStream`'s pages (at most 100 shards a page). */
export async function listShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  let exclusiveStartShardId: string | undefined;
  do {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({
        StreamArn: streamArn,
        ...(exclusiveStartShardId && { ExclusiveStartShardId: exclusiveStartShardId }),
      }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      const info = toShardInfo(shard);
      if (info) shards.push(info);
    }
    exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStartShardId);
  return shards;
}

/** The region in a stream ARN (`arn:aws:dynamodb:<region>:…`), which Lambda reports as `awsRegion`. */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}
