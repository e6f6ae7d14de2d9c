import { describe, expect, it } from 'vitest';
import { lambdaApi } from '../../functions/api/lambda-api.ts';
import { ConfigurationError } from '../../functions/config.ts';

describe('the API as a Lambda function builds it', () => {
  it('refuses, on a function URL, to trust claims no authorizer has checked', () => {
    const env = { AUTH_MODE: 'api-gateway', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' };
    expect(() => lambdaApi('function-url', env)).toThrow(ConfigurationError);
    expect(() => lambdaApi('function-url', env)).toThrow(/AUTH_MODE: api-gateway/);
  });

  it('trusts them behind API Gateway, whose authorizer checked them', () => {
    const env = { AUTH_MODE: 'api-gateway', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' };
    expect(lambdaApi('api-gateway', env).app).toBeDefined();
  });

  it('runs on a function URL in a mode in which the app checks tokens itself', () => {
    const env = { AUTH_MODE: 'jwt-secret', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' };
    expect(lambdaApi('function-url', env).app).toBeDefined();
  });
});
