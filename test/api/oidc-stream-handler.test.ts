import { randomBytes } from 'node:crypto';
import type { LambdaFunctionURLEvent, StreamifyHandler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VIEWER_AUTHORIZATION_HEADER } from '../../functions/api/viewer-authorization.ts';
import {
  functionUrlEvent,
  installLambdaRuntimeGlobal,
  invokeStreaming,
} from '../support/lambda-streaming-runtime.ts';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.ts';
import { type SsmStandIn, startSsmStandIn } from '../support/ssm-stand-in.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

/**
 * The streaming entry point (functions/api/stream-handler.ts) as the stack runs it behind CloudFront: AUTH_MODE=oidc
 * with the API client as the audience and the web client's id read from an SSM parameter (the stack cannot put it in
 * the function's environment), and requests as origin access control delivers them, CloudFront's SigV4
 * signature in `Authorization` and the viewer's bearer token copied to `x-viewer-authorization` by the
 * distribution's function.
 */

const WEB_CLIENT = 'ledger-web-client';
const AUDIENCE_PARAMETER = '/detention-ledger/test/oidc-audience';
/** What origin access control puts in `Authorization`: a signature the function URL checks, no bearer token. */
const CLOUDFRONT_SIGNATURE =
  'AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261202/eu-west-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef';

let db: TestTables;
let provider: TestOidcProvider;
let ssm: SsmStandIn;
let handler: StreamifyHandler<LambdaFunctionURLEvent>;

beforeAll(async () => {
  [db, provider, ssm] = await Promise.all([
    createTestTables('oidc-stream'),
    startOidcProvider(),
    startSsmStandIn({ [AUDIENCE_PARAMETER]: WEB_CLIENT }),
  ]);
  vi.stubEnv('LEDGER_TABLE', db.tables.ledger);
  vi.stubEnv('VIEWS_TABLE', db.tables.views);
  vi.stubEnv('KEYS_TABLE', db.tables.keys);
  vi.stubEnv('DYNAMODB_ENDPOINT', db.endpoint);
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('LEDGER_MASTER_KEY', randomBytes(32).toString('base64'));
  vi.stubEnv('AUTH_MODE', 'oidc');
  vi.stubEnv('OIDC_ISSUER', provider.issuer);
  vi.stubEnv('OIDC_AUDIENCE', 'ledger-api-client');
  vi.stubEnv('OIDC_AUDIENCE_PARAMETER', AUDIENCE_PARAMETER);
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', ssm.endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'stand-in-secret-access-key');
  vi.stubEnv('OIDC_PII_GROUP', 'pii');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  installLambdaRuntimeGlobal();
  ({ handler } = await import('../../functions/api/stream-handler.ts'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([db?.drop(), provider?.stop(), ssm?.close()]);
});

/** A Cognito access token of the web client: `client_id`, no `aud`, the groups in `cognito:groups`. */
const cognitoToken = (subject: string, groups: string[]) =>
  provider.signedToken({
    subject,
    claims: { client_id: WEB_CLIENT, token_use: 'access', scope: 'openid', 'cognito:groups': groups },
  });

describe('the streaming function behind CloudFront in AUTH_MODE=oidc', () => {
  it("verifies the viewer's token that CloudFront hands on beside its own signature", async () => {
    const token = await cognitoToken('stream-viewer', ['viewer']);
    const answer = await invokeStreaming(
      handler,
      functionUrlEvent('GET', '/cases.csv', {
        authorization: CLOUDFRONT_SIGNATURE,
        [VIEWER_AUTHORIZATION_HEADER]: `Bearer ${token}`,
      }),
    );
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    expect(ssm.calls).toContain(AUDIENCE_PARAMETER);
  });

  it("refuses a request with CloudFront's signature alone, and a token of a role that may not export", async () => {
    const unsigned = await invokeStreaming(
      handler,
      functionUrlEvent('GET', '/cases.csv', { authorization: CLOUDFRONT_SIGNATURE }),
    );
    expect(unsigned.statusCode).toBe(401);
    const recorder = await cognitoToken('stream-recorder', ['recorder']);
    const refused = await invokeStreaming(
      handler,
      functionUrlEvent('GET', '/cases.csv', {
        authorization: CLOUDFRONT_SIGNATURE,
        [VIEWER_AUTHORIZATION_HEADER]: `Bearer ${recorder}`,
      }),
    );
    expect(refused.statusCode).toBe(403);
  });
});
