import { handle } from 'hono/aws-lambda';
import { loadRuntimeConfig } from '../config.ts';
import { createDynamoDBClients } from '../dynamodb-clients.ts';
import { keyWrapperFrom } from '../personal-data/key-wrapper-from-config.ts';
import { createServices } from '../services.ts';

// Built once per Lambda instance, outside the handler, so warm invocations reuse clients and the app.
const config = loadRuntimeConfig();
const { app } = createServices({
  clients: createDynamoDBClients(config.dynamodb),
  tables: config.tables,
  alertThresholds: config.alerts,
  auth: config.auth,
  keyWrapper: keyWrapperFrom(config.keyWrapping, config.dynamodb.region),
  ...(config.cursorSecret && { cursorSecret: config.cursorSecret }),
});

/** The API behind API Gateway (HTTP API, payload format 2.0). */
export const handler = handle(app);
