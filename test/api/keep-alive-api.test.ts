import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../functions/services.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

/**
 * Over real HTTP, as the local runtime serves it: a pooled client holding one keep-alive socket must get an
 * answer to every request, even after the server answered early and never read a large body.
 */
let db: TestTables;
let services: Services;
let server: Server;
let base: URL;
let recorder: string;
let viewer: string;

beforeAll(async () => {
  db = await createTestTables('keepalive');
  services = servicesOn(db);
  recorder = await testToken(['recorder'], { pii: true });
  viewer = await testToken(['viewer']);
  server = createServer(getRequestListener(services.app.fetch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await db.drop();
});

interface Answer {
  readonly status: number;
  readonly connection: string | undefined;
}

function send(
  agent: Agent,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      res.on('error', reject);
    });
    // The client writes the whole body whatever the server does, as a pooled client does.
    req.on('error', reject);
    req.end(body);
  });
}

const json = (token: string | undefined, contentType = 'application/json') => ({
  'content-type': contentType,
  ...(token !== undefined && { authorization: `Bearer ${token}` }),
});

/** A JSON body of `bytes` bytes: a list of one long string. */
const bodyOf = (bytes: number) => Buffer.from(`["${'x'.repeat(bytes - 4)}"]`);

describe('a keep-alive client holding one socket', () => {
  const early: Array<[string, string, string, () => Record<string, string>, number]> = [
    ['413 over 1 MiB', 'POST', '/cases', () => json(recorder), 2 * 1024 * 1024],
    ['401 without a token', 'POST', '/cases', () => json(undefined), 300 * 1024],
    ['403 for a viewer', 'POST', '/cases', () => json(viewer, 'application/octet-stream'), 300 * 1024],
    [
      '404 for no route',
      'POST',
      '/no-such-route',
      () => json(recorder, 'application/octet-stream'),
      300 * 1024,
    ],
    ['415 for a body that is not JSON', 'POST', '/cases', () => json(recorder, 'text/plain'), 300 * 1024],
  ];

  it.each(early)('gets every later request answered after a %s', async (_, method, path, headers, bytes) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(agent, method, path, headers(), bodyOf(bytes));
      expect(first.status).toBeGreaterThanOrEqual(400);
      for (let i = 0; i < 3; i++) {
        // Later than the server's drain gives up on an unread body, so a socket it closes is seen closed.
        await new Promise((resolve) => setTimeout(resolve, 200 * i));
        const next = await send(agent, 'GET', '/health', {});
        expect(next.status).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });

  it('is told to close the connection after a chunked body over 1 MiB, and its next requests are answered', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const chunked = { ...json(recorder), 'transfer-encoding': 'chunked' };
      const first = await send(agent, 'POST', '/cases', chunked, bodyOf(2 * 1024 * 1024));
      expect(first).toEqual({ status: 413, connection: 'close' });
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200 * i));
        expect((await send(agent, 'GET', '/health', {})).status).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });
});
