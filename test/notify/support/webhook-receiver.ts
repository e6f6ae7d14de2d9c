import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';

export interface ReceivedWebhook {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A real HTTP receiver on loopback: keeps each request, then answers as `answer` says (a status), or
 * runs `onArrival` first (e.g. to kill the sender) and leaves the request hanging when it returns `hang`.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let answer: (request: ReceivedWebhook, n: number) => number | 'hang' = () => 200;
  const hanging: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const webhook = {
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(webhook);
      const status = answer(webhook, received.length);
      if (status === 'hang') {
        hanging.push(response);
        return;
      }
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answerWith(next: typeof answer) {
      answer = next;
    },
    async stop() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/**
 * Verifies a webhook as its receiver would (Standard Webhooks: signature, and a timestamp within five minutes),
 * with the receiver's clock at `at`: the sender signs at the notifier's clock, which the tests set in the past.
 * Returns the parsed body.
 */
export function verifyWebhook(secret: string, webhook: ReceivedWebhook, at: Date): { type: string } {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try {
    return new Webhook(secret).verify(webhook.body, webhook.headers) as { type: string };
  } finally {
    vi.useRealTimers();
  }
}
