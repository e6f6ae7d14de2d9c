import { Writable } from 'node:stream';
import type { Context, LambdaFunctionURLEvent, StreamifyHandler } from 'aws-lambda';

/**
 * The parts of AWS Lambda's Node.js runtime a streaming function meets, as the runtime interface client
 * (aws-lambda-nodejs-runtime-interface-client, src/UserFunction.js, HttpResponseStream.js, ResponseStream.js)
 * defines them: the `awslambda` global whose `streamifyResponse` marks a handler as streaming, and whose
 * `HttpResponseStream.from` makes the first write send the metadata prelude (JSON) and eight NUL bytes ahead of
 * the body, for the function URL to turn into status and headers.
 */
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = new Uint8Array(8);

/** Installs the runtime's `awslambda` global: call it before importing a streaming handler's module. */
export function installLambdaRuntimeGlobal(): void {
  const global = globalThis as { awslambda?: unknown };
  global.awslambda = {
    streamifyResponse(handler: object) {
      Object.assign(handler, { [HANDLER_STREAMING]: 'response' });
      return handler;
    },
    HttpResponseStream: {
      from(stream: RuntimeResponseStream, prelude: Record<string, unknown>) {
        stream.setContentType(PRELUDE_CONTENT_TYPE);
        const metadata = JSON.stringify(prelude);
        stream.beforeFirstWrite = (write) => {
          write(metadata);
          write(DELIMITER);
        };
        return stream;
      },
    },
  };
}

/** Whether the runtime would invoke `handler` as a streaming one. */
export function isStreamingHandler(handler: object): boolean {
  return (handler as Record<symbol, unknown>)[HANDLER_STREAMING] === 'response';
}

/**
 * The response stream the runtime hands a streaming handler: a writable whose bytes go out as they are
 * written (to the runtime API, in Lambda; here to `onBytes`), with the runtime's content type and first-write
 * hook. Each write is taken after a turn of the event loop, as a socket would, so a writer that outruns its
 * reader feels back-pressure.
 */
export class RuntimeResponseStream extends Writable {
  contentType = 'application/octet-stream';
  beforeFirstWrite: ((write: (chunk: string | Uint8Array) => void) => void) | undefined;
  #written = false;

  constructor(private readonly onBytes: (bytes: Buffer) => void) {
    super({ highWaterMark: 16 * 1024 });
  }

  setContentType(contentType: string): void {
    if (this.#written) throw new Error('Cannot set content-type, too late.');
    this.contentType = contentType;
  }

  override write(chunk: unknown, ...rest: never[]): boolean {
    if (!this.#written) {
      this.#written = true;
      this.beforeFirstWrite?.((first) => super.write(first));
    }
    return super.write(chunk, ...rest);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    setImmediate(() => {
      this.onBytes(chunk);
      done();
    });
  }
}

/**
 * Splits what a function URL receives into the metadata prelude and the body, incrementally: only the prelude is
 * kept; body bytes go to `onBody` as they come.
 */
export class PreludeReader {
  prelude: { statusCode: number; headers: Record<string, string>; cookies: string[] } | undefined;
  #head = Buffer.alloc(0);

  constructor(private readonly onBody: (bytes: Buffer) => void) {}

  push(bytes: Buffer): void {
    if (this.prelude) {
      this.onBody(bytes);
      return;
    }
    this.#head = Buffer.concat([this.#head, bytes]);
    const end = this.#head.indexOf(Buffer.from(DELIMITER));
    if (end < 0) return;
    // The prelude is JSON, which never holds a NUL byte: the first eight of them end it.
    this.prelude = JSON.parse(this.#head.subarray(0, end).toString('utf8'));
    const body = this.#head.subarray(end + DELIMITER.length);
    if (body.length > 0) this.onBody(body);
  }
}

/** A function URL's event (payload format 2.0) for a GET or POST. */
export function functionUrlEvent(
  method: 'GET' | 'POST',
  pathAndQuery: string,
  headers: Record<string, string>,
  body?: string,
): LambdaFunctionURLEvent {
  const [rawPath = '/', rawQueryString = ''] = pathAndQuery.split('?');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { host: 'abcdefghij.lambda-url.eu-west-1.on.aws', ...headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghij',
      domainName: 'abcdefghij.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abcdefghij',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
    ...(body !== undefined && { body }),
  };
}

/** A stand-in for the invocation's context: the adapter only passes it on to the app. */
export const lambdaContext = { awsRequestId: 'test-invocation' } as Context;

/** Invokes a streaming handler as the runtime does and gathers the whole answer (for small ones). */
export async function invokeStreaming(
  handler: StreamifyHandler<LambdaFunctionURLEvent>,
  event: LambdaFunctionURLEvent,
): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  const parts: Buffer[] = [];
  const reader = new PreludeReader((bytes) => parts.push(bytes));
  await invokeWith(handler, event, (bytes) => reader.push(bytes));
  if (!reader.prelude) throw new Error('the handler wrote no prelude');
  return { ...reader.prelude, body: Buffer.concat(parts).toString('utf8') };
}

/** Invokes a streaming handler with a response stream whose bytes go to `onBytes`; resolves once all are out. */
export async function invokeWith(
  handler: StreamifyHandler<LambdaFunctionURLEvent>,
  event: LambdaFunctionURLEvent,
  onBytes: (bytes: Buffer) => void,
): Promise<void> {
  const stream = new RuntimeResponseStream(onBytes);
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  await handler(event, stream as unknown as awslambda.HttpResponseStream, lambdaContext);
  await finished;
}
