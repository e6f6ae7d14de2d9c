import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request of an AWS JSON protocol: the operation named by `X-Amz-Target` (without its prefix) and the body. */
export interface AwsJsonRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
}

/** What the service answers: an HTTP status and a JSON body (an error is `{ __type, message }`). */
export interface AwsJsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface AwsJsonStandIn {
  /** `http://127.0.0.1:<port>`: give it to the SDK as the service's endpoint. */
  readonly endpoint: string;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A loopback HTTP server speaking an AWS JSON 1.1 protocol (`X-Amz-Target: <targetPrefix>.<Operation>`), so the
 * real SDK client can be exercised without AWS; each stand-in says what its service answers.
 */
export async function startAwsJsonStandIn(
  targetPrefix: string,
  answer: (request: AwsJsonRequest) => AwsJsonAnswer,
): Promise<AwsJsonStandIn> {
  const server = createServer((request, response) => {
    void bodyOf(request).then((text) => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(`${targetPrefix}.`, '');
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      const answered = answer({ operation, body, headers: request.headers });
      response.writeHead(answered.status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answered.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
