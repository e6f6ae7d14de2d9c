import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes, newEventSchema, recordedEventTypes } from '../../domain/event-catalogue.ts';
import { GENESIS_HASH } from '../../domain/hash-chain.ts';
import { guarded, PUBLIC_ROUTES, ROUTE_ROLES } from '../../functions/api/auth/access.ts';
import { facts, toEvent } from '../domain/event-arbitraries.ts';
import { fixedEventId, inventedSource } from '../support/sample-events.ts';
import { type DeclaredSchemas, declaredSchemas, errorsOf } from './declared-schemas.ts';
import { type JsonSchema, type OpenApiDocument, operationsOf, servedDocument } from './openapi-document.ts';

const run = promisify(execFile);

let document: OpenApiDocument;
let schemas: DeclaredSchemas;
beforeAll(async () => {
  document = await servedDocument();
  schemas = declaredSchemas(document);
});

const problemRef = '#/components/schemas/Problem';

describe('the OpenAPI document declares what the API answers', () => {
  it('gives every operation its own operationId', () => {
    const ids = operationsOf(document).map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares bearer security with 401 and 403 problems on every guarded route, and none on public ones', () => {
    const operations = operationsOf(document);
    const guarded = operations.filter(({ key }) => key in ROUTE_ROLES);
    expect(guarded.map(({ key }) => key).sort()).toEqual(Object.keys(ROUTE_ROLES).sort());
    for (const { key, operation } of guarded) {
      expect(operation.security, key).toEqual([{ bearer: [] }]);
      for (const status of ['401', '403']) {
        const schema = operation.responses[status]?.content?.['application/problem+json']?.schema;
        expect(schema, `${key} ${status}`).toEqual({ $ref: problemRef });
      }
      expect(operation.responses['401']?.headers, key).toHaveProperty('WWW-Authenticate');
    }
    const open = operations.filter(({ key }) => !(key in ROUTE_ROLES));
    expect(open.map(({ key }) => key)).toEqual(
      PUBLIC_ROUTES.filter((route) => route !== 'GET /openapi.json'),
    );
    for (const { key, operation } of open) {
      expect(operation.security, key).toEqual([]);
      expect(Object.keys(operation.responses), key).not.toContain('401');
    }
  });

  it('completes only the routes ROUTE_ROLES lists: another does not type-check, nor run', () => {
    // @ts-expect-error: no such route in ROUTE_ROLES
    expect(() => guarded({ method: 'get', path: '/nowhere', responses: {} })).toThrow('not in ROUTE_ROLES');
    const route = guarded({ method: 'get', path: '/alerts', responses: {} });
    expect(Object.keys(route.responses)).toEqual(['401', '403']);
  });

  it('declares 503 with Retry-After on every route, since every one reads or writes the tables', () => {
    for (const { key, operation } of operationsOf(document)) {
      const unavailable = operation.responses['503'];
      expect(unavailable?.content?.['application/problem+json']?.schema, key).toEqual({ $ref: problemRef });
      expect(unavailable?.headers?.['Retry-After']?.schema, key).toEqual({ type: 'integer', minimum: 0 });
    }
  });

  it('describes a 404 by what the route looks up: a case, a digest, or a case in a digest', () => {
    const notFound = (key: string) =>
      operationsOf(document).find((operation) => operation.key === key)?.operation.responses['404']
        ?.description;
    expect(notFound('GET /cases/{caseId}')).toBe('No such case');
    expect(notFound('POST /cases/{caseId}/events')).toBe('No such case');
    expect(notFound('GET /ledger/digest')).toBe('No such digest');
    expect(notFound('GET /cases/{caseId}/proof')).toBe('No such digest, or the case is not in the digest');
  });

  it('names the server a generated client joins the paths to', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('carries the bounds of page sizes, thresholds and sequence numbers as minimum and maximum', () => {
    const parameter = (key: string, name: string) => {
      const found = operationsOf(document)
        .find((entry) => entry.key === key)
        ?.operation.parameters?.find((candidate) => candidate.name === name);
      return found?.schema;
    };
    expect(parameter('GET /cases', 'limit')).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 50,
    });
    for (const key of ['GET /cases/{caseId}/events', 'GET /audit']) {
      expect(parameter(key, 'limit'), key).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    }
    expect(parameter('GET /alerts', 'consularVisitDays')).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 3650,
    });
    expect(parameter('GET /alerts', 'custodyExpiringDays')).toMatchObject({ minimum: 0, maximum: 3650 });
    expect(parameter('GET /alerts', 'noNewsDays')).toMatchObject({ minimum: 1, maximum: 3650 });
    expect(parameter('GET /ledger/digest', 'sequence')).toMatchObject({ type: 'integer', minimum: 1 });
    expect(parameter('GET /cases/{caseId}/proof', 'digest')).toMatchObject({ type: 'integer', minimum: 1 });
  });
});

/** The envelope the ledger adds to an event, as a response carries it. */
const envelope = {
  streamId: 'case-0001',
  version: 2,
  recordedAt: '2026-01-01T00:00:00.000Z',
  recordedBy: 'test-recorder',
  prevHash: GENESIS_HASH,
  hash: 'a'.repeat(64),
};

describe('the OpenAPI document types every event by its type', () => {
  const optionsOf = (name: string) => (document.components.schemas[name]?.oneOf ?? []) as JsonSchema[];
  const propertiesOf = (schema: JsonSchema) => (schema.properties ?? {}) as Record<string, JsonSchema>;
  const typesOf = (name: string) =>
    optionsOf(name).map((option) => (propertiesOf(option).type?.enum as string[] | undefined)?.[0]);

  it('publishes the catalogue as a union on `type`, one closed schema per type, requests and answers', () => {
    expect(typesOf('NewEvent').sort()).toEqual([...eventTypes].sort());
    expect(typesOf('ShownEvent').sort()).toEqual([...recordedEventTypes].sort());
    expect(typesOf('StoredEvent').sort()).toEqual([...recordedEventTypes].sort());
    for (const name of ['NewEvent', 'ShownEvent', 'StoredEvent']) {
      for (const option of optionsOf(name)) {
        expect(option.additionalProperties, name).toBe(false);
        expect(propertiesOf(option).data?.additionalProperties, `${name} data`).toBe(false);
      }
    }
  });

  it('accepts the events the catalogue accepts and refuses the data of one type under another', () => {
    const newEvent = schemas.component('NewEvent');
    const shown = schemas.component('ShownEvent');
    const stored = schemas.component('StoredEvent');
    fc.assert(
      fc.property(facts(undefined, { minLength: 2, maxLength: 2 }), ([fact, other]) => {
        const event = toEvent(fact!, fixedEventId(2));
        expect(newEvent(event), errorsOf(newEvent)).toBe(true);
        expect(shown({ ...event, ...envelope }), errorsOf(shown)).toBe(true);
        expect(stored({ ...event, ...envelope }), errorsOf(stored)).toBe(true);
        // Another type's data: the document says what the catalogue says, but for the refinements JSON Schema
        // cannot state (a custody term's one of until and months, a sentence's term), which the API checks.
        const mixed = { ...event, type: other!.body.type };
        const parsed = newEventSchema.safeParse(mixed);
        const shapeHolds = parsed.success || parsed.error.issues.every((issue) => issue.code === 'custom');
        expect(newEvent(mixed)).toBe(shapeHolds);
        expect(shown({ ...mixed, ...envelope })).toBe(shapeHolds);
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });

  it('shows an opening with its subject in clear or as a pseudonym, and stores it sealed', () => {
    const opening = {
      eventId: fixedEventId(1),
      type: 'CaseOpened',
      occurredAt: '2025-07-01T09:00:00Z',
      sources: inventedSource,
      data: { subject: { name: 'Test Person A', nationality: 'Utopia' } },
      ...envelope,
      version: 1,
    };
    const pseudonymous = { ...opening, data: { subject: { pseudonym: 'person-0123456789ab' } } };
    const sealed = {
      ...opening,
      data: {
        subject: {
          nationality: 'Utopia',
          sealed: { alg: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'B'.repeat(40) },
        },
      },
    };
    const shown = schemas.component('ShownEvent');
    const stored = schemas.component('StoredEvent');
    expect([shown(opening), shown(pseudonymous), shown(sealed)]).toEqual([true, true, false]);
    expect([stored(opening), stored(pseudonymous), stored(sealed)]).toEqual([false, false, true]);
    expect(shown({ ...opening, recordedBy: undefined })).toBe(false);
    expect(shown({ ...opening, extra: 1 })).toBe(false);
  });
});

describe('the validators the contract test measures answers with', () => {
  it('refuse a field the document does not declare, in closed and open shapes alike', () => {
    const problem = schemas.component('Problem');
    const answer = { type: 'urn:problem:x', title: 'T', status: 400, detail: 'D' };
    expect(problem(answer), errorsOf(problem)).toBe(true);
    expect(problem({ ...answer, stack: 'at handler' })).toBe(false);
    const page = schemas.component('CaseList');
    expect(page({ cases: [] }), errorsOf(page)).toBe(true);
    expect(page({ cases: [], total: 0 })).toBe(false);
  });
});

describe('redocly lint of the served document', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reports no errors, and no warning but the one /health cannot avoid', async () => {
    const file = join(folder, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    // redocly.yaml at the project root extends `recommended` and turns telemetry off; the env says it twice.
    const lint = await run(
      process.execPath,
      ['node_modules/@redocly/cli/bin/cli.js', 'lint', file, '--format=json'],
      {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(lint.stdout) as {
      problems: Array<{
        ruleId: string;
        severity: string;
        message: string;
        location: Array<{ pointer: string }>;
      }>;
    };
    const found = report.problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId} ${problem.location[0]?.pointer}: ${problem.message}`,
    );
    // Liveness and the log's keys take no input and need no token: they have no 4xx answer to declare.
    expect(found).toEqual([
      'warn operation-4xx-response #/paths/~1health/get/responses: Operation must have at least one `4XX` response.',
      'warn operation-4xx-response #/paths/~1log~1key/get/responses: Operation must have at least one `4XX` response.',
    ]);
  });
});
