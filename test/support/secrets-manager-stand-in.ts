import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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
  const server = createServer((request, response) => {
    void bodyOf(request).then((text) => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      const { SecretId: secretId = '' } = JSON.parse(text || '{}') as { SecretId?: string };
      calls.push({
        operation,
        secretId,
        signed: String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'),
      });
      if (failing) {
        answer(response, 500, { __type: 'InternalServiceError', message: 'stand-in is failing' });
        return;
      }
      const value = values.get(secretId);
      if (operation !== 'GetSecretValue') {
        answer(response, 400, { __type: 'InvalidRequestException', message: `not served: ${operation}` });
      } else if (value === undefined) {
        answer(response, 400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        });
      } else {
        answer(response, 200, {
          ARN: secretId,
          Name: secretId.split(':').at(-1),
          SecretString: value,
          VersionId: `v${calls.length}`,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1_700_000_000,
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    put: (secretId, value) => values.set(secretId, value),
    failFromNowOn: () => {
      failing = true;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
