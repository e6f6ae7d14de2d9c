import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOidcProvider, TEST_AUDIENCE, type TestOidcProvider } from '../support/oidc-provider.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

/**
 * The API's Lambda entry point in AUTH_MODE=oidc, chosen by its environment alone: it starts without asking
 * the provider anything, and discovers it on the first request.
 */

let db: TestTables;
let provider: TestOidcProvider;
let handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  [db, provider] = await Promise.all([createTestTables('oidc-lambda'), startOidcProvider()]);
  vi.stubEnv('LEDGER_TABLE', db.tables.ledger);
  vi.stubEnv('VIEWS_TABLE', db.tables.views);
  vi.stubEnv('KEYS_TABLE', db.tables.keys);
  vi.stubEnv('DYNAMODB_ENDPOINT', db.endpoint);
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('LEDGER_MASTER_KEY', randomBytes(32).toString('base64'));
  vi.stubEnv('AUTH_MODE', 'oidc');
  vi.stubEnv('OIDC_ISSUER', provider.issuer);
  vi.stubEnv('OIDC_AUDIENCE', TEST_AUDIENCE);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  provider.down();
  // Built at import, as on a cold start: with the provider down, nothing here may wait on it.
  ({ handler } = (await import('../../functions/api/handler.ts')) as unknown as { handler: typeof handler });
  provider.up();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([db?.drop(), provider?.stop()]);
});

function event(path: string, token: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: `Bearer ${token}`, host: 'api.example.org' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.org',
      domainPrefix: 'api',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'r-1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Dec/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
  };
}

describe('the Lambda handler in AUTH_MODE=oidc', () => {
  it("discovers the provider on the first request and answers by the token's roles", async () => {
    const viewer = await provider.accessToken({
      subject: 'lambda-viewer',
      claims: { 'cognito:groups': ['viewer'] },
    });
    const recorder = await provider.accessToken({
      subject: 'lambda-recorder',
      claims: { 'cognito:groups': ['recorder'] },
    });
    expect((await handler(event('/cases', viewer), {} as Context)).statusCode).toBe(200);
    expect((await handler(event('/cases', recorder), {} as Context)).statusCode).toBe(403);
  });
});
