import type { DynamoDBStreamHandler } from 'aws-lambda';
import { loadRuntimeConfig } from '../config.ts';
import { createDynamoDBClients } from '../dynamodb-clients.ts';
import { createServices } from '../services.ts';

const config = loadRuntimeConfig();
const { projector } = createServices({
  clients: createDynamoDBClients(config.dynamodb),
  tables: config.tables,
});

/** The projector on the ledger's DynamoDB stream; failed records come back as batch item failures. */
export const handler: DynamoDBStreamHandler = (event) => projector(event);
