import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { createServices } from '../../functions/services.ts';

/**
 * The document the app serves at `/openapi.json`, asked of the app object itself, so whatever is generated
 * from it describes the server as built. Serving it reads no table, so the app here is wired to tables
 * nobody will reach.
 */
export async function servedDocument(): Promise<object> {
  const services = createServices({
    clients: createDynamoDBClients({ endpoint: 'http://127.0.0.1:9' }),
    tables: {
      ledger: 'unused-ledger',
      views: 'unused-views',
      keys: 'unused-keys',
      notifications: 'unused-notifications',
      log: 'unused-log',
    },
  });
  const response = await services.app.request('/openapi.json');
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
  return (await response.json()) as object;
}
