import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An object as the stand-in keeps it: its bytes and the headers it was put with. */
export interface StoredObject {
  readonly body: Buffer;
  readonly headers: IncomingHttpHeaders;
}

export interface S3StandIn {
  /** `http://127.0.0.1:<port>`: give it to the SDK as the endpoint, with `forcePathStyle`. */
  readonly endpoint: string;
  /** What each `<bucket>/<key>` holds. */
  readonly objects: Map<string, StoredObject>;
  /** Keys whose reads are refused, as S3 refuses a principal without `s3:GetObject`. */
  readonly refused: Set<string>;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>stand-in</RequestId></Error>`;
}

/**
 * A loopback HTTP server answering S3's `GetObject` and `PutObject` (path-style: `/<bucket>/<key>`) as S3 does,
 * errors as S3's XML, so the real S3 client can be exercised without AWS. It keeps what it is given in memory.
 */
export async function startS3StandIn(): Promise<S3StandIn> {
  const objects = new Map<string, StoredObject>();
  const refused = new Set<string>();
  const server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      const key = decodeURIComponent(new URL(request.url ?? '/', 'http://stand-in').pathname.slice(1));
      if (request.method === 'PUT') {
        objects.set(key, { body, headers: request.headers });
        response.writeHead(200, { etag: '"stand-in"' });
        response.end();
        return;
      }
      if (request.method === 'GET' && refused.has(key)) {
        response.writeHead(403, { 'content-type': 'application/xml' });
        response.end(errorXml('AccessDenied', 'Access Denied'));
        return;
      }
      const stored = objects.get(key);
      if (request.method === 'GET' && stored) {
        response.writeHead(200, {
          'content-type': String(stored.headers['content-type'] ?? 'application/octet-stream'),
          'content-length': stored.body.length,
        });
        response.end(stored.body);
        return;
      }
      response.writeHead(404, { 'content-type': 'application/xml' });
      response.end(errorXml('NoSuchKey', 'The specified key does not exist.'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    refused,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
