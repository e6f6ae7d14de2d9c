import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServices, type Services } from '../../functions/services.ts';
import { LEDGER_ITEM_KIND } from '../../functions/tables/table-definitions.ts';
import { TAMPER_LOG_PATTERN } from '../../infra/constructs/projector-function.ts';
import { consularVisit, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

/**
 * The projector's and the digest function's puts on the ledger are limited to partition keys matching a few
 * patterns. These tests run the real code against DynamoDB Local and check that every item it writes is one
 * the grant allows, that no event could be, and that the projector's log line for a tamper signal is one the
 * stack's metric filter counts.
 */

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: { 'ForAllValues:StringLike'?: { 'dynamodb:LeadingKeys'?: string[] } };
}

let synth: LedgerTemplate;
let db: TestTables;
let services: Services;
/** The JSON lines the projector's logger printed. */
const logLines: Record<string, unknown>[] = [];
let ledgerItems: Record<string, unknown>[];
const caseId = `case-${randomUUID()}`;

/** The partition-key patterns a role's ledger `PutItem` is limited to, as the template states them. */
function leadingKeysOf(role: IRole): string[] {
  const policies = synth.template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalIdOf(synth.stack, role) }] },
  });
  const ledgerArn = { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.tables.ledger), 'Arn'] };
  const puts = Object.values(policies)
    .flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    )
    .filter((statement) => [statement.Action].flat().includes('dynamodb:PutItem'))
    .filter((statement) => JSON.stringify([statement.Resource].flat()) === JSON.stringify([ledgerArn]));
  expect(puts).toHaveLength(1);
  return puts[0]?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? [];
}

/** A wildcard match: each of `wildcards` stands for what its regular expression says; the rest is literal. */
function wildcardMatch(pattern: string, value: string, wildcards: Record<string, string>): boolean {
  const source = [...pattern]
    .map((char) => wildcards[char] ?? char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** IAM's `StringLike`: `*` any characters, `?` any one. */
const stringLike = (pattern: string, value: string) => wildcardMatch(pattern, value, { '*': '.*', '?': '.' });

const allowed = (patterns: readonly string[], key: string) => patterns.some((p) => stringLike(p, key));

/** CloudWatch Logs' JSON filter `{ $.field = "value" }`, where a `*` in the value matches any characters. */
function jsonFilterMatches(filter: string, line: Record<string, unknown>): boolean {
  const match = /^\{ \$\.(\w+) = "([^"]*)" \}$/.exec(filter);
  if (!match?.[1] || match[2] === undefined) throw new Error(`unexpected filter ${filter}`);
  const actual = line[match[1]];
  return typeof actual === 'string' && wildcardMatch(match[2], actual, { '*': '.*' });
}

function changedEventRecord(version: number, sequenceNumber: string): DynamoDBRecord {
  return {
    eventID: sequenceNumber,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { streamId: { S: caseId }, version: { N: String(version) } },
      OldImage: { itemKind: { S: LEDGER_ITEM_KIND.event }, hash: { S: 'original' } },
      NewImage: { itemKind: { S: LEDGER_ITEM_KIND.event }, hash: { S: 'forged' } },
      SequenceNumber: sequenceNumber,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

// Generous limits: the synth and DynamoDB Local share two cores with the other suites.
beforeAll(() => {
  synth = synthLedgerTemplate();
}, 120_000);

beforeAll(async () => {
  db = await createTestTables('infra-grants');
  const print = (chunk: unknown) => {
    for (const line of String(chunk)
      .split('\n')
      .filter((l) => l.startsWith('{'))) {
      logLines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(print);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(print);
  try {
    services = createServices({
      clients: db.clients,
      tables: db.tables,
      keyWrapper: db.keyWrapper,
      logger: new Logger({ serviceName: 'detention-ledger' }),
    });
    await services.ledger.append({
      caseId,
      events: [opening()],
      expected: 'no_stream',
      recordedBy: 'tester',
    });
    await services.ledger.append({
      caseId,
      events: [consularVisit('2025-07-03')],
      expected: 'stream_exists',
      recordedBy: 'tester',
    });
    await services.projector({ Records: [changedEventRecord(1, '100'), changedEventRecord(2, '200')] });
    await services.digests.take({ at: new Date() });
    await services.digests.take({ at: new Date() });
    // A resumable run, as the function takes them: it also keeps its progress in the ledger.
    await services.digests.run({ at: new Date(), full: true });
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const { Items = [] } = await db.clients.documents.send(new ScanCommand({ TableName: db.tables.ledger }));
  ledgerItems = Items;
}, 120_000);
afterAll(() => db?.drop());

const keysOfKind = (kind: string) =>
  ledgerItems.filter((item) => item.itemKind === kind).map((item) => String(item.streamId));

describe("the projector's put on the ledger", () => {
  it('covers every tamper signal it keeps', () => {
    const patterns = leadingKeysOf(synth.stack.projector.role);
    expect(patterns).toEqual(['#tamper#*']);
    const signals = keysOfKind(LEDGER_ITEM_KIND.tamperSignal);
    expect(signals).toHaveLength(2);
    for (const key of signals) expect(allowed(patterns, key), key).toBe(true);
  });

  it('covers no event, event-id guard, audit-day marker or digest', () => {
    const patterns = leadingKeysOf(synth.stack.projector.role);
    const others = ledgerItems.filter((item) => item.itemKind !== LEDGER_ITEM_KIND.tamperSignal);
    expect(new Set(others.map((item) => item.itemKind))).toEqual(
      new Set([
        LEDGER_ITEM_KIND.event,
        LEDGER_ITEM_KIND.eventIdGuard,
        LEDGER_ITEM_KIND.auditDay,
        LEDGER_ITEM_KIND.digest,
        LEDGER_ITEM_KIND.digestLeaves,
      ]),
    );
    for (const item of others)
      expect(allowed(patterns, String(item.streamId)), String(item.streamId)).toBe(false);
  });

  it("logs each tamper signal in a line the stack's metric filter counts, and nothing else it logs", () => {
    const counted = logLines.filter((line) => jsonFilterMatches(TAMPER_LOG_PATTERN.logPatternString, line));
    // Signals of one batch are kept concurrently, so their lines come in either order.
    const versions = counted.map((line) => [line.caseId, line.version] as const);
    expect([...versions].sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      [caseId, 1],
      [caseId, 2],
    ]);
    const filter = synth.template.findResources('AWS::Logs::MetricFilter');
    expect(
      Object.values(filter).map(
        (f) => (f as { Properties: { FilterPattern: string } }).Properties.FilterPattern,
      ),
    ).toEqual([TAMPER_LOG_PATTERN.logPatternString]);
  });
});

describe("the digest function's put on the ledger", () => {
  it("covers every digest, every item of its leaves and a run's saved progress", () => {
    const patterns = leadingKeysOf(synth.stack.digest.role);
    expect(patterns).toEqual(['#digest', '#digest-leaves#*']);
    const digests = [...keysOfKind(LEDGER_ITEM_KIND.digest), ...keysOfKind(LEDGER_ITEM_KIND.digestLeaves)];
    expect(digests.length).toBeGreaterThanOrEqual(7);
    expect(ledgerItems.some((item) => item.streamId === '#digest' && item.version === 0)).toBe(true);
    for (const key of digests) expect(allowed(patterns, key), key).toBe(true);
  });

  it('covers no event, event-id guard or tamper signal', () => {
    const patterns = leadingKeysOf(synth.stack.digest.role);
    const others = ledgerItems.filter(
      (item) => item.itemKind !== LEDGER_ITEM_KIND.digest && item.itemKind !== LEDGER_ITEM_KIND.digestLeaves,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const item of others)
      expect(allowed(patterns, String(item.streamId)), String(item.streamId)).toBe(false);
  });
});
