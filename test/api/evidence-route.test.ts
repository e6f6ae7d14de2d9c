import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEvidence } from '../../domain/log/evidence-check.ts';
import { readEvidencePacket } from '../../domain/log/evidence-packet.ts';
import { directoryTileStore } from '../../functions/log/directory-tile-store.ts';
import type { Services } from '../../functions/services.ts';
import { createDynamoDBStreamsClient } from '../../local/dynamodb-streams-client.ts';
import { type LocalLog, startLocalLog } from '../../local/log/local-log.ts';
import { openLogKey } from '../../local/log-key-file.ts';
import { declaredSchemas, errorsOf } from '../contract/declared-schemas.ts';
import type { OpenApiDocument } from '../contract/openapi-document.ts';
import { consularVisit, detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';
import { type PacketLike, packetProblems } from './evidence-packet-check.ts';

/**
 * GET /cases/{caseId}/evidence over real HTTP and app.request, against DynamoDB Local and a log integrated by
 * the same reader of the ledger's stream the local runtime runs. Each packet is graded by an outsider's check
 * written in the test (evidence-packet-check.ts).
 */

const ORIGIN = 'test.example/evidence';
const NAME = 'Test Person Evidencia';
const CASE = 'evidence-1';

let db: TestTables;
let services: Services;
let log: LocalLog | undefined;
let streams: ReturnType<typeof createDynamoDBStreamsClient>;
let server: Server;
let base: string;
let dir: string;
let auditor: string;
let admin: string;
let parts: Parameters<typeof startLocalLog>[0]['parts'];

async function startLog() {
  log = await startLocalLog({
    parts,
    store: services.logStore,
    audit: services.audit,
    client: db.clients.client,
    streamsClient: streams,
    ledgerTable: db.tables.ledger,
    clock: () => new Date(),
    logger: () => {},
  });
  await log.caughtUp();
}

async function stopLog() {
  await log?.stop();
  log = undefined;
}

beforeAll(async () => {
  db = await createTestTables('evidence');
  dir = await mkdtemp(join(tmpdir(), 'evidence-route-'));
  const tiles = directoryTileStore(dir);
  const signer = await openLogKey({ name: ORIGIN });
  parts = { tiles, signer, directory: dir, cleanup: async () => {} };
  services = servicesOn(db, { logParts: { tiles, signer } });
  streams = createDynamoDBStreamsClient({ endpoint: db.endpoint });
  server = createServer(getRequestListener(services.app.fetch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  auditor = await testToken(['auditor']);
  admin = await testToken(['admin', 'recorder'], { pii: true });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await stopLog();
  streams.destroy();
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
  fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

const evidence = (caseId = CASE, token: string | undefined = auditor) =>
  call('GET', `/cases/${caseId}/evidence`, token);

const detailOf = async (response: Response) => ((await response.json()) as { detail: string }).detail;

describe('GET /cases/{caseId}/evidence', () => {
  it('answers 404 for a case that does not exist, and 400 for a case id that cannot be one', async () => {
    const unknown = await services.app.request('/cases/no-such-case/evidence', {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    for (const bad of ['bad%20id', 'x'.repeat(129), '-leading', '%00']) {
      const response = await services.app.request(`/cases/${bad}/evidence`, {
        headers: { authorization: `Bearer ${auditor}` },
      });
      expect(response.status).toBe(400);
    }
  });

  it('is for auditors: 401 without a token, 403 for viewers and recorders', async () => {
    expect((await call('GET', `/cases/${CASE}/evidence`, undefined)).status).toBe(401);
    expect((await evidence(CASE, await testToken(['viewer'], { pii: true }))).status).toBe(403);
    expect((await evidence(CASE, await testToken(['recorder']))).status).toBe(403);
  });

  it('answers 409 "not yet in the log" while the log has not taken the case in, never a packet with holes', async () => {
    expect(
      (await call('POST', '/cases', admin, { caseId: CASE, subject: { name: NAME, nationality: 'Utopia' } }))
        .status,
    ).toBe(201);
    const appended = await call('POST', `/cases/${CASE}/events`, admin, {
      events: [withoutId(detained('2025-06-30')), withoutId(consularVisit('2025-07-02'))],
    });
    expect(appended.status).toBe(201);
    const response = await evidence();
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await detailOf(response)).toMatch(/not yet in the log; try again in a minute/);
  });

  it('answers the packet once the log holds the case: a file named by case and size, that checks', async () => {
    await startLog();
    const response = await evidence();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.detention-ledger.evidence+json; charset=utf-8',
    );
    const packet = (await response.json()) as PacketLike & { createdAt: string; howToCheck: string };
    const { problems, size, cosigned } = packetProblems(packet);
    expect(problems).toEqual([]);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="evidence-${CASE}-${size}.json"`,
    );
    expect(size).toBeGreaterThanOrEqual(3);
    expect(cosigned).toBe(0);
    expect(packet.witnessKeys).toEqual([]);
    expect(packet.caseId).toBe(CASE);
    expect(packet.howToCheck).toMatch(/RFC 8785/);
    // As the API's own document declares it (the document a generated client is built from).
    const document = (await (await call('GET', '/openapi.json', undefined)).json()) as OpenApiDocument;
    const declared = document.paths['/cases/{caseId}/evidence']?.get?.responses['200'];
    const validate = declaredSchemas(document).validator(
      declared!.content!['application/vnd.detention-ledger.evidence+json']!.schema!,
    );
    expect(validate(packet), errorsOf(validate)).toBe(true);
    // The events exactly as GET /cases/{caseId}/events gives them stored, and the key the log publishes.
    const stored = (await (await call('GET', `/cases/${CASE}/events?form=stored`, auditor)).json()) as {
      events: unknown[];
    };
    expect(packet.events).toEqual(stored.events);
    expect(packet.events).toHaveLength(3);
    const keys = await (await call('GET', '/log/key', undefined)).text();
    expect(packet.logKey).toBe(keys.split('\n')[0]);
    expect(packet.checkpoint).toBe(await (await call('GET', '/log/checkpoint', undefined)).text());
    // Sealed as stored: the name is nowhere in the file.
    expect(JSON.stringify(packet)).not.toContain(NAME);
  });

  it('answers 409 again for an event appended while the log is stopped, then the whole case once it has it', async () => {
    await stopLog();
    const appended = await call('POST', `/cases/${CASE}/events`, admin, {
      events: [withoutId(consularVisit('2025-07-09'))],
    });
    expect(appended.status).toBe(201);
    const refused = await evidence();
    expect(refused.status).toBe(409);
    expect(await detailOf(refused)).toMatch(/^Version 4 of case evidence-1 is not yet in the log/);
    await startLog();
    const packet = (await (await evidence()).json()) as PacketLike;
    expect(packet.events).toHaveLength(4);
    expect(packetProblems(packet).problems).toEqual([]);
  });

  it('still checks after the subject is erased through the API, and holds no name', async () => {
    const before = await (await call('GET', `/cases/${CASE}`, admin)).text();
    expect(before).toContain(NAME);
    const erased = await call('POST', `/cases/${CASE}/erase`, admin, {
      reason: 'Request of the person (invented)',
    });
    expect(erased.status).toBe(200);
    await log!.caughtUp();
    const response = await evidence();
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(NAME);
    const packet = JSON.parse(text) as PacketLike;
    expect(packet.events.at(-1)?.type).toBe('Erased');
    expect(packetProblems(packet).problems).toEqual([]);
    // And by the project's own checker (what `npx ledger verify-evidence` and /app/evidence say).
    const reading = readEvidencePacket(text);
    if (!reading.ok) throw new Error(`not read as a packet: ${JSON.stringify(reading.problem)}`);
    expect(checkEvidence(reading.packet)).toMatchObject({ ok: true, failures: [], events: 5 });
  });

  it('is found by the outsider’s check when one byte of it is changed', async () => {
    const packet = (await (await evidence()).json()) as PacketLike;
    const changed = structuredClone(packet);
    changed.events[1]!.occurredAt = '2025-06-29';
    expect(packetProblems(changed).problems).toEqual(['version 2: its hash does not match its content']);
  });
});
