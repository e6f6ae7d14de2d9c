import type { TestProject } from 'vitest/node';
import { startDynamoDBLocal } from '../../local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The one DynamoDB Local (in memory) that the storage suites share; each file makes its own tables. */
    dynamodbEndpoint: string;
  }
}

/** Starts one DynamoDB Local for the whole run and stops it when the run ends. */
export default async function setup(project: TestProject) {
  const dynamodb = await startDynamoDBLocal();
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return async () => {
    await dynamodb.stop();
  };
}
