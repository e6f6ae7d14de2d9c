import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES, ROUTE_ROLES } from '../../functions/api/auth/access.ts';
import { type OpenApiDocument, operationsOf, servedDocument } from './openapi-document.ts';

const run = promisify(execFile);

let document: OpenApiDocument;
beforeAll(async () => {
  document = await servedDocument();
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

  it('declares 503 with Retry-After on every route, since every one reads or writes the tables', () => {
    for (const { key, operation } of operationsOf(document)) {
      const unavailable = operation.responses['503'];
      expect(unavailable?.content?.['application/problem+json']?.schema, key).toEqual({ $ref: problemRef });
      expect(unavailable?.headers?.['Retry-After']?.schema, key).toEqual({ type: 'integer', minimum: 0 });
    }
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
    // Liveness takes no input and needs no token: it has no 4xx answer to declare.
    expect(found).toEqual([
      'warn operation-4xx-response #/paths/~1health/get/responses: Operation must have at least one `4XX` response.',
    ]);
  });
});
