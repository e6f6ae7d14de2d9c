import { startAwsJsonStandIn } from './aws-json-stand-in.ts';

/** One request the stand-in received: the operation (`X-Amz-Target`) and the secret asked for. */
export interface SecretsManagerCall {
  readonly operation: string;
  readonly secretId: string;
  /** Whether the request carried a SigV4 signature, as the SDK makes one. */
  readonly signed: boolean;
}

export interface SecretsManagerStandIn {
  /** `http://127.0.0.1:<port>`: give it to the SDK as the Secrets Manager endpoint. */
  readonly endpoint: string;
  readonly calls: readonly SecretsManagerCall[];
  /** Puts a new value into a secret, as `aws secretsmanager put-secret-value` would. */
  put(secretId: string, value: string): void;
  /** From now on, every request fails as Secrets Manager does when it is unavailable (HTTP 500). */
  failFromNowOn(): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that speaks the part of the Secrets Manager JSON protocol the API uses
 * (`GetSecretValue`), so the real SDK client, and Powertools over it, can be exercised without AWS. It is a
 * stand-in for AWS, not for any code of ours: unknown secrets get Secrets Manager's `ResourceNotFoundException`.
 */
export async function startSecretsManagerStandIn(
  secrets: Record<string, string>,
): Promise<SecretsManagerStandIn> {
  const values = new Map(Object.entries(secrets));
  const calls: SecretsManagerCall[] = [];
  let failing = false;
  const standIn = await startAwsJsonStandIn('secretsmanager', ({ operation, body, headers }) => {
    const secretId = typeof body.SecretId === 'string' ? body.SecretId : '';
    calls.push({
      operation,
      secretId,
      signed: String(headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'),
    });
    if (failing)
      return { status: 500, body: { __type: 'InternalServiceError', message: 'stand-in is failing' } };
    const value = values.get(secretId);
    if (operation !== 'GetSecretValue') {
      return {
        status: 400,
        body: { __type: 'InvalidRequestException', message: `not served: ${operation}` },
      };
    }
    if (value === undefined) {
      return {
        status: 400,
        body: {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        },
      };
    }
    return {
      status: 200,
      body: {
        ARN: secretId,
        Name: secretId.split(':').at(-1),
        SecretString: value,
        VersionId: `v${calls.length}`,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_700_000_000,
      },
    };
  });
  return {
    ...standIn,
    calls,
    put: (secretId, value) => values.set(secretId, value),
    failFromNowOn: () => {
      failing = true;
    },
  };
}
