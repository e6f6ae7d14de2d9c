import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts the DynamoDB requests a client sends, by command name: a way to state what an operation costs
 * (how many reads and writes) without timing it.
 */
export function countRequests(client: DynamoDBClient) {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: `requestCounter${Math.random()}` },
  );
  return {
    snapshot: () => Object.fromEntries(counts),
    reset: () => counts.clear(),
  };
}
