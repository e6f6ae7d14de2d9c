import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  caseKeysTable,
  ledgerTable,
  logTable,
  type TableDefinition,
  viewsTable,
} from '../../functions/tables/table-definitions.ts';
import { toCreateTableInput } from '../../functions/tables/to-create-table-input.ts';
import { KEY_BACKUP_ACTIONS, LEDGER_DENIED_ACTIONS } from '../../infra/constructs/ledger-tables.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

let synth: LedgerTemplate;
let ledger: Record<string, unknown> & { Properties: Record<string, unknown> };
let views: Record<string, unknown> & { Properties: Record<string, unknown> };
let keys: Record<string, unknown> & { Properties: Record<string, unknown> };

beforeAll(() => {
  synth = synthLedgerTemplate();
  const resources = synth.template.findResources('AWS::DynamoDB::GlobalTable');
  expect(Object.keys(resources)).toHaveLength(5);
  ledger = resources[logicalIdOf(synth.stack, synth.stack.tables.ledger)] as typeof ledger;
  views = resources[logicalIdOf(synth.stack, synth.stack.tables.views)] as typeof views;
  keys = resources[logicalIdOf(synth.stack, synth.stack.tables.keys)] as typeof keys;
});

/** The parts of a table that the shared definition decides, as the local runtime's `CreateTable` input has them. */
function localShape(definition: TableDefinition) {
  const input = toCreateTableInput(definition, 'any-name');
  return {
    AttributeDefinitions: input.AttributeDefinitions,
    KeySchema: input.KeySchema,
    GlobalSecondaryIndexes: input.GlobalSecondaryIndexes,
    StreamViewType: input.StreamSpecification?.StreamViewType,
  };
}

function templateShape(table: { Properties: Record<string, unknown> }) {
  const properties = table.Properties as {
    AttributeDefinitions: unknown;
    KeySchema: unknown;
    GlobalSecondaryIndexes?: unknown;
    StreamSpecification?: { StreamViewType: string };
  };
  return {
    AttributeDefinitions: properties.AttributeDefinitions,
    KeySchema: properties.KeySchema,
    GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes,
    StreamViewType: properties.StreamSpecification?.StreamViewType,
  };
}

type Shape = ReturnType<typeof templateShape>;

/** A shape with its lists in a fixed order, since DynamoDB may describe them in another. */
function normalized(shape: Shape) {
  const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) =>
    String(a.AttributeName).localeCompare(String(b.AttributeName));
  const indexes = (shape.GlobalSecondaryIndexes ?? []) as { IndexName: string }[];
  return {
    ...shape,
    AttributeDefinitions: [...(shape.AttributeDefinitions as { AttributeName: string }[])].sort(byName),
    GlobalSecondaryIndexes: [...indexes].sort((a, b) => a.IndexName.localeCompare(b.IndexName)),
  };
}

/** What DynamoDB Local says a table is, in the template's terms. */
function described(table: TableDescription) {
  return normalized({
    AttributeDefinitions: table.AttributeDefinitions,
    KeySchema: table.KeySchema,
    GlobalSecondaryIndexes: table.GlobalSecondaryIndexes?.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
    })),
    StreamViewType: table.StreamSpecification?.StreamViewType,
  });
}

describe('one definition of the tables, locally and on AWS', () => {
  it('builds the stack from the very objects the local runtime creates its tables from', () => {
    expect(synth.stack.tables.definitions.ledger).toBe(ledgerTable);
    expect(synth.stack.tables.definitions.views).toBe(viewsTable);
    expect(synth.stack.tables.definitions.keys).toBe(caseKeysTable);
    expect(synth.stack.tables.definitions.log).toBe(logTable);
  });

  it('gives the ledger exactly the keys, indexes and stream the local runtime creates', () => {
    expect(templateShape(ledger)).toEqual(localShape(ledgerTable));
    expect(templateShape(ledger).StreamViewType).toBe('NEW_AND_OLD_IMAGES');
  });

  it('gives the views exactly the keys and indexes the local runtime creates, and no stream', () => {
    expect(templateShape(views)).toEqual(localShape(viewsTable));
    expect(templateShape(views).StreamViewType).toBeUndefined();
  });

  it('gives the case keys exactly the key the shared definition gives them, no index and no stream', () => {
    expect(templateShape(keys)).toEqual(localShape(caseKeysTable));
    expect(keys.Properties.KeySchema).toEqual([{ AttributeName: 'caseId', KeyType: 'HASH' }]);
    expect(keys.Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(keys.Properties.StreamSpecification).toBeUndefined();
  });

  it('matches the tables the local runtime actually creates in DynamoDB Local', async () => {
    let db: TestTables | undefined;
    try {
      db = await createTestTables('infra-shape');
      const describe = async (name: string) =>
        (await db!.clients.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
      expect(normalized(templateShape(ledger))).toEqual(described(await describe(db.tables.ledger)));
      expect(normalized(templateShape(views))).toEqual(described(await describe(db.tables.views)));
    } finally {
      await db?.drop();
    }
  });

  it('bills every table on demand, as the local runtime does', () => {
    expect(ledger.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(views.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(keys.Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });
});

describe('the ledger table, a system of record', () => {
  it('has point-in-time recovery and deletion protection', () => {
    expect(ledger.Properties.Replicas).toEqual([
      expect.objectContaining({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    ]);
  });

  it('is kept when the stack is deleted or the table would be replaced', () => {
    expect(ledger.DeletionPolicy).toBe('Retain');
    expect(ledger.UpdateReplacePolicy).toBe('Retain');
  });

  it('is encrypted at rest with a KMS key', () => {
    expect(ledger.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
  });

  it('denies updates, deletes, batch writes and PartiQL changes of its items to every principal', () => {
    expect(ledger.Properties.Replicas).toEqual([
      expect.objectContaining({
        ResourcePolicy: {
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'LedgerIsAppendOnly',
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: [
                  'dynamodb:BatchWriteItem',
                  'dynamodb:DeleteItem',
                  'dynamodb:PartiQLDelete',
                  'dynamodb:PartiQLUpdate',
                  'dynamodb:UpdateItem',
                ],
                Resource: '*',
              },
            ],
          },
        },
      }),
    ]);
    expect([...LEDGER_DENIED_ACTIONS].sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:PartiQLDelete',
      'dynamodb:PartiQLUpdate',
      'dynamodb:UpdateItem',
    ]);
  });

  it('has no statement that allows anything in its resource policy', () => {
    synth.template.hasResource('AWS::DynamoDB::GlobalTable', {
      Properties: Match.objectLike({
        Replicas: Match.arrayWith([
          Match.objectLike({
            ResourcePolicy: {
              PolicyDocument: {
                Statement: Match.not(Match.arrayWith([Match.objectLike({ Effect: 'Allow' })])),
                Version: '2012-10-17',
              },
            },
          }),
        ]),
      }),
    });
  });
});

describe('the views table, disposable', () => {
  it('goes with the stack, without deletion protection or point-in-time recovery', () => {
    expect(views.DeletionPolicy).toBe('Delete');
    expect(views.Properties.Replicas).toEqual([
      expect.not.objectContaining({ DeletionProtectionEnabled: true }),
    ]);
    expect(views.Properties.Replicas).toEqual([
      expect.not.objectContaining({ PointInTimeRecoverySpecification: expect.anything() }),
    ]);
  });

  it('has the sparse alert indexes, each copying only the view, what an alert reports', () => {
    const indexes = views.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: unknown;
      Projection: unknown;
    }[];
    const sortKeys = {
      byVisitDue: 'visitDay',
      byTermDue: 'termDay',
      byNewsDue: 'newsDay',
      byHearingDue: 'hearingDay',
      byPendingUntil: 'pendingAt',
    };
    for (const [indexName, sort] of Object.entries(sortKeys)) {
      expect(indexes.find((index) => index.IndexName === indexName)).toEqual({
        IndexName: indexName,
        KeySchema: [
          { AttributeName: 'allShard', KeyType: 'HASH' },
          { AttributeName: sort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['view'] },
      });
    }
  });

  it('has list indexes that copy the view alone, so the timeline is written once, in the base item', () => {
    const indexes = views.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: { AttributeName: string; KeyType: string }[];
      Projection: unknown;
    }[];
    const listKeys = {
      byAll: ['allShard', 'caseId'],
      byStatus: ['statusShard', 'caseId'],
      byGroup: ['groupShard', 'caseId'],
      byFacility: ['facilityShard', 'caseId'],
      byNationality: ['nationalityShard', 'caseId'],
      byCustodyUntil: ['custodyShard', 'custodySk'],
    };
    for (const [indexName, [partition, sort]] of Object.entries(listKeys)) {
      expect(indexes.find((index) => index.IndexName === indexName)).toEqual({
        IndexName: indexName,
        KeySchema: [
          { AttributeName: partition, KeyType: 'HASH' },
          { AttributeName: sort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['view'] },
      });
    }
    // Only the counts kept by day are copied whole: their items are counters and keys, nothing else.
    expect(
      indexes
        .filter((index) => JSON.stringify(index.Projection).includes('ALL'))
        .map((index) => index.IndexName),
    ).toEqual(['byCounts']);
    expect(indexes.find((index) => index.IndexName === 'byCounts')?.KeySchema).toEqual([
      { AttributeName: 'countsPartition', KeyType: 'HASH' },
      { AttributeName: 'countsBucket', KeyType: 'RANGE' },
    ]);
  });

  it('is a table apart from the first one, whose list indexes copied whole items', () => {
    // CloudFormation cannot change an index's projection in place: the new projections come as a new table,
    // which the functions switch to in one deployment. The first table's construct id was `Views`.
    const logicalId = logicalIdOf(synth.stack, synth.stack.tables.views);
    expect(logicalId).not.toMatch(/Views[0-9A-F]{8}$/);
    expect(logicalId).toMatch(/Views2[0-9A-F]{8}$/);
  });

  it('is encrypted at rest with a KMS key too: it holds the same personal data', () => {
    expect(views.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
  });
});

describe('the case keys table, whose items erasure deletes', () => {
  it('has point-in-time recovery explicitly off: a restorable copy of a key would undo an erasure', () => {
    expect(keys.Properties.Replicas).toEqual([
      expect.objectContaining({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }),
    ]);
    synth.template.resourceCountIs('AWS::Backup::BackupPlan', 0);
    synth.template.resourceCountIs('AWS::Backup::BackupSelection', 0);
  });

  it('is protected from deletion and kept when the stack is deleted or the table would be replaced', () => {
    expect(keys.Properties.Replicas).toEqual([expect.objectContaining({ DeletionProtectionEnabled: true })]);
    expect(keys.DeletionPolicy).toBe('Retain');
    expect(keys.UpdateReplacePolicy).toBe('Retain');
  });

  it('is encrypted at rest with a KMS key', () => {
    expect(keys.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
  });

  it('refuses every backup, restore to a point in time and export of itself, to every principal', () => {
    expect(keys.Properties.Replicas).toEqual([
      expect.objectContaining({
        ResourcePolicy: {
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'CaseKeysAreNeverCopied',
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: [
                  'dynamodb:CreateBackup',
                  'dynamodb:ExportTableToPointInTime',
                  'dynamodb:RestoreTableToPointInTime',
                  'dynamodb:StartAwsBackupJob',
                ],
                Resource: '*',
              },
            ],
          },
        },
      }),
    ]);
    expect([...KEY_BACKUP_ACTIONS].sort()).toEqual([
      'dynamodb:CreateBackup',
      'dynamodb:ExportTableToPointInTime',
      'dynamodb:RestoreTableToPointInTime',
      'dynamodb:StartAwsBackupJob',
    ]);
  });

  it('refuses no item operation: its items are deleted to erase a case', () => {
    const policy = JSON.stringify(keys.Properties.Replicas);
    expect(policy).not.toMatch(/dynamodb:(GetItem|PutItem|DeleteItem|UpdateItem|Query|Scan|BatchWriteItem)/);
  });

  it('can be backed up when the operator opts into the key backup whose restore re-applies erasures', () => {
    const opted = synthLedgerTemplate({ allowKeyBackups: 'true' });
    const table = opted.template.findResources('AWS::DynamoDB::GlobalTable')[
      logicalIdOf(opted.stack, opted.stack.tables.keys)
    ] as typeof keys;
    expect(table.Properties.Replicas).toEqual([
      expect.not.objectContaining({ ResourcePolicy: expect.anything() }),
    ]);
    // Opting in lifts the refusal only: point-in-time recovery stays off, and the ledger keeps its policy.
    expect(table.Properties.Replicas).toEqual([
      expect.objectContaining({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }),
    ]);
    const ledgerTable = opted.template.findResources('AWS::DynamoDB::GlobalTable')[
      logicalIdOf(opted.stack, opted.stack.tables.ledger)
    ] as typeof ledger;
    expect(JSON.stringify(ledgerTable.Properties.Replicas)).toContain('LedgerIsAppendOnly');
  });
});
