import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../functions/api/api-error.ts';
import { AudienceParameterReader } from '../../functions/api/auth/audience-parameter.ts';
import { loadRuntimeConfig } from '../../functions/config.ts';
import { type SsmStandIn, startSsmStandIn } from '../support/ssm-stand-in.ts';

let ssm: SsmStandIn;
beforeAll(async () => {
  ssm = await startSsmStandIn({ '/ledger/audience': 'web-client, api-client', '/ledger/empty': ' ' });
});
afterAll(() => ssm.close());

const providerFor = (endpoint: string) =>
  new SSMProvider({
    clientConfig: {
      endpoint,
      region: 'eu-west-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'stand-in-secret-access-key' },
    },
  });

describe('audiences from an SSM parameter (OIDC_AUDIENCE_PARAMETER)', () => {
  it('is enough for AUTH_MODE=oidc without OIDC_AUDIENCE', () => {
    const { auth } = loadRuntimeConfig({
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: 'https://id.example.org',
      OIDC_AUDIENCE_PARAMETER: '/ledger/audience',
    });
    expect(auth).toMatchObject({ mode: 'oidc', audiences: [], audienceParameter: '/ledger/audience' });
    expect(() => loadRuntimeConfig({ AUTH_MODE: 'oidc', OIDC_ISSUER: 'https://id.example.org' })).toThrow(
      /OIDC_AUDIENCE_PARAMETER/,
    );
  });

  it('reads comma-separated client ids; with Parameter Store unreachable and nothing read before, answers 503', async () => {
    const reader = new AudienceParameterReader({
      name: '/ledger/audience',
      provider: providerFor(ssm.endpoint),
    });
    expect(await reader.audiences()).toEqual(['web-client', 'api-client']);
    const unreachable = new AudienceParameterReader({
      name: '/ledger/audience',
      provider: providerFor('http://127.0.0.1:9'),
    });
    await expect(unreachable.audiences()).rejects.toBeInstanceOf(UnavailableError);
  });

  it('answers 503 for a parameter that is missing or empty, never an empty list that would refuse silently', async () => {
    const missing = new AudienceParameterReader({
      name: '/ledger/missing',
      provider: providerFor(ssm.endpoint),
    });
    await expect(missing.audiences()).rejects.toBeInstanceOf(UnavailableError);
    const empty = new AudienceParameterReader({ name: '/ledger/empty', provider: providerFor(ssm.endpoint) });
    await expect(empty.audiences()).rejects.toThrow(/comma-separated client ids/);
  });
});
