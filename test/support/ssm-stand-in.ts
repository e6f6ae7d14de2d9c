import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SsmStandIn {
  /** `http://127.0.0.1:<port>`: give it to the SDK as the SSM endpoint (`AWS_ENDPOINT_URL_SSM`). */
  readonly endpoint: string;
  /** The names of the parameters asked for, in order. */
  readonly calls: readonly string[];
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
 * A loopback HTTP server that speaks the part of the SSM Parameter Store JSON protocol the API uses
 * (`GetParameter`), so the real SDK client, and Powertools over it, can be exercised without AWS. It is a
 * stand-in for AWS, not for any code of ours: unknown parameters get SSM's `ParameterNotFound`.
 */
export async function startSsmStandIn(parameters: Record<string, string>): Promise<SsmStandIn> {
  const values = new Map(Object.entries(parameters));
  const calls: string[] = [];
  const server = createServer((request, response) => {
    void bodyOf(request).then((text) => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, '');
      const { Name: name = '' } = JSON.parse(text || '{}') as { Name?: string };
      calls.push(name);
      const value = values.get(name);
      if (operation !== 'GetParameter') {
        answer(response, 400, { __type: 'ValidationException', message: `not served: ${operation}` });
      } else if (value === undefined) {
        answer(response, 400, { __type: 'ParameterNotFound', message: '' });
      } else {
        answer(response, 200, {
          Parameter: { Name: name, Type: 'String', Value: value, Version: 1, DataType: 'text' },
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
