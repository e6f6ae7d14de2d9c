import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBStreamHandler } from 'aws-lambda';
import { loadRuntimeConfig } from '../config.ts';
import { createDynamoDBClients } from '../dynamodb-clients.ts';
import { createStores } from '../stores.ts';
import { createProjector } from './create-projector.ts';

// The stores and the projector only: this function never serves the API, so it neither bundles nor builds it.
const config = loadRuntimeConfig();
const { ledger, views, tamperLog, clock } = createStores({
  clients: createDynamoDBClients(config.dynamodb),
  tables: config.tables,
});
const projector = createProjector({
  ledger,
  views,
  tamperLog,
  clock,
  logger: new Logger({ serviceName: 'detention-ledger' }),
});

/** The projector on the ledger's DynamoDB stream; failed records come back as batch item failures. */
export const handler: DynamoDBStreamHandler = (event) => projector(event);
