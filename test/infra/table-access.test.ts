import type { Stack } from 'aws-cdk-lib';
import { type IRole, Role } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerTable, notificationsTable, viewsTable } from '../../functions/tables/table-definitions.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

let synth: LedgerTemplate;
/** Logical id → a readable name for the resources that grants point at. */
let names: Map<string, string>;

beforeAll(() => {
  synth = synthLedgerTemplate();
  const { stack } = synth;
  const named: [string, IConstruct][] = [
    ['ledger', stack.tables.ledger],
    ['views', stack.tables.views],
    ['case-keys', stack.tables.keys],
    ['notifications', stack.tables.notifications],
    ['personal-data-key', stack.personalDataKey.key],
    ['cursor-secret', stack.apiFunction.cursorSecret],
    ['dead-letters', stack.projector.deadLetterQueue],
    ['api-logs', stack.apiFunction.logGroup],
    ['streaming-api-logs', stack.streamingApi.logGroup],
    ['projector-logs', stack.projector.logGroup],
    ['digest-logs', stack.digest.logGroup],
    ['log', stack.tables.log],
    ['log-tiles', stack.log.tiles.bucket],
    ['log-signing-key', stack.log.signingKey.key],
    ['log-dead-letters', stack.log.integrator.streamDeadLetterQueue],
    ['log-integrator-logs', stack.log.integrator.logGroup],
  ];
  names = new Map(named.map(([name, construct]) => [logicalIdOf(stack, construct), name]));
});

/** A policy resource in readable form: `ledger`, `ledger/index/byRecordedAt`, `ledger:stream`. */
function render(resource: unknown): string {
  const value = resource as Record<string, unknown>;
  if (typeof resource === 'string') return resource;
  if (value.Ref) return names.get(value.Ref as string) ?? String(value.Ref);
  if (value['Fn::GetAtt']) {
    const [id, attribute] = value['Fn::GetAtt'] as [string, string];
    const name = names.get(id) ?? id;
    return attribute === 'StreamArn' ? `${name}:stream` : name;
  }
  if (typeof value['Fn::Sub'] === 'string') return value['Fn::Sub'];
  if (value['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  throw new Error(`unexpected resource ${JSON.stringify(resource)}`);
}

/** A statement's conditions in readable form: ` if ForAllValues:StringLike dynamodb:LeadingKeys #tamper#*`. */
function renderConditions(statement: Statement): string {
  return Object.entries(statement.Condition ?? {})
    .flatMap(([operator, keys]) =>
      Object.entries(keys).map(([key, values]) => ` if ${operator} ${key} ${[values].flat().join(' | ')}`),
    )
    .join('');
}

/** Every `action on resource [if condition]` a role is allowed, one string each, sorted. */
function permissionsOf(stack: Stack, role: IRole): string[] {
  const policies = synth.template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalIdOf(stack, role) }] },
  });
  const statements = Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
  return statements
    .flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      const actions = [statement.Action].flat();
      const resources = [statement.Resource].flat();
      const conditions = renderConditions(statement);
      return actions.flatMap((action) =>
        resources.map((resource) => `${action} on ${render(resource)}${conditions}`),
      );
    })
    .sort();
}

/** The encryption context a case key is made and unwrapped with: its case id, and nothing else. */
const FOR_ITS_CASE =
  ' if ForAllValues:StringEquals kms:EncryptionContextKeys caseId if Null kms:EncryptionContext:caseId false';

const READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];

/**
 * What a reader of the log may do: its table, its two kinds of objects (the tiles and the checkpoint), the
 * listing that tells a missing tile from a refused one, and its key's public half.
 */
const LOG_READS = [
  'dynamodb:BatchGetItem on log',
  'dynamodb:GetItem on log',
  'dynamodb:Query on log',
  's3:GetObject on log-tiles/tile/*',
  's3:GetObject on log-tiles/checkpoint',
  's3:ListBucket on log-tiles',
  'kms:GetPublicKey on log-signing-key',
];

/** The read grant: the table and each of its indexes, by name. */
function reads(table: string, indexNames: readonly string[]): string[] {
  return READ.flatMap((action) =>
    [table, ...indexNames.map((index) => `${table}/index/${index}`)].map(
      (resource) => `${action} on ${resource}`,
    ),
  );
}

const ledgerIndexes = ledgerTable.globalSecondaryIndexes.map((index) => index.indexName);
const viewsIndexes = viewsTable.globalSecondaryIndexes.map((index) => index.indexName);
const notificationsIndexes = notificationsTable.globalSecondaryIndexes.map((index) => index.indexName);

/** What the API and the notifier's functions may do to the notifications: read, put, update, delete. */
const notificationsAccess = [
  ...reads('notifications', notificationsIndexes),
  'dynamodb:PutItem on notifications',
  'dynamodb:UpdateItem on notifications',
  'dynamodb:DeleteItem on notifications',
];

describe('least privilege', () => {
  it('lets the API read and append to the ledger, read the views, keep and erase case keys, wrap and unwrap them for their case, and read the cursor secret', () => {
    expect(permissionsOf(synth.stack, synth.stack.apiFunction.role)).toEqual(
      [
        ...reads('ledger', ledgerIndexes),
        'dynamodb:PutItem on ledger',
        ...reads('views', viewsIndexes),
        'dynamodb:GetItem on case-keys',
        'dynamodb:PutItem on case-keys',
        'dynamodb:DeleteItem on case-keys',
        ...notificationsAccess,
        `kms:GenerateDataKey on personal-data-key${FOR_ITS_CASE}`,
        `kms:Decrypt on personal-data-key${FOR_ITS_CASE}`,
        'secretsmanager:GetSecretValue on cursor-secret',
        ...LOG_READS,
        'logs:CreateLogStream on api-logs',
        'logs:PutLogEvents on api-logs',
      ].sort(),
    );
  });

  it("lets the streaming API do what the API does, read the web client's id, and write only its own logs", () => {
    expect(permissionsOf(synth.stack, synth.stack.streamingApi.role)).toEqual(
      [
        ...permissionsOf(synth.stack, synth.stack.apiFunction.role).map((permission) =>
          permission.replace(/ on api-logs$/, ' on streaming-api-logs'),
        ),
        'ssm:GetParameter on arn:AWS::Partition:ssm:AWS::Region:AWS::AccountId:parameter/detention-ledger-dev/oidc-web-audience',
      ].sort(),
    );
  });

  it('lets the projector read the ledger and its stream, put only tamper signals in it, read and write the views, and report to its dead-letter queue', () => {
    expect(permissionsOf(synth.stack, synth.stack.projector.role)).toEqual(
      [
        ...reads('ledger', ledgerIndexes),
        'dynamodb:PutItem on ledger if ForAllValues:StringLike dynamodb:LeadingKeys #tamper#*',
        'dynamodb:DescribeStream on ledger:stream',
        'dynamodb:GetRecords on ledger:stream',
        'dynamodb:GetShardIterator on ledger:stream',
        'dynamodb:ListStreams on ledger:stream',
        'dynamodb:GetItem on views',
        'dynamodb:PutItem on views',
        'dynamodb:UpdateItem on views if ForAllValues:StringLike dynamodb:LeadingKeys #groups',
        'sqs:GetQueueAttributes on dead-letters',
        'sqs:GetQueueUrl on dead-letters',
        'sqs:SendMessage on dead-letters',
        'logs:CreateLogStream on projector-logs',
        'logs:PutLogEvents on projector-logs',
      ].sort(),
    );
  });

  it('lets the digest function read the ledger and put only digests and their leaves in it', () => {
    expect(permissionsOf(synth.stack, synth.stack.digest.role)).toEqual(
      [
        ...reads('ledger', ledgerIndexes),
        'dynamodb:PutItem on ledger if ForAllValues:StringLike dynamodb:LeadingKeys #digest | #digest-leaves#*',
        'logs:CreateLogStream on digest-logs',
        'logs:PutLogEvents on digest-logs',
      ].sort(),
    );
  });

  it("lets the log's integrator read the ledger and its stream, keep the log's table and objects, sign with the log key alone, and report to its dead-letter queue", () => {
    expect(permissionsOf(synth.stack, synth.stack.log.integrator.role)).toEqual(
      [
        ...reads('ledger', ledgerIndexes),
        'dynamodb:DescribeStream on ledger:stream',
        'dynamodb:GetRecords on ledger:stream',
        'dynamodb:GetShardIterator on ledger:stream',
        'dynamodb:ListStreams on ledger:stream',
        ...LOG_READS,
        'dynamodb:PutItem on log',
        'dynamodb:UpdateItem on log',
        's3:PutObject on log-tiles/tile/*',
        's3:PutObject on log-tiles/checkpoint',
        'kms:Sign on log-signing-key if StringEquals kms:SigningAlgorithm ED25519_SHA_512 if StringEquals kms:MessageType RAW',
        'sqs:GetQueueAttributes on log-dead-letters',
        'sqs:GetQueueUrl on log-dead-letters',
        'sqs:SendMessage on log-dead-letters',
        'logs:CreateLogStream on log-integrator-logs',
        'logs:PutLogEvents on log-integrator-logs',
      ].sort(),
    );
  });

  it("lets no role but the integrator's sign with the log key, or write the log's table or objects", () => {
    const roles = synth.stack.node
      .findAll()
      .filter((construct): construct is Role => construct instanceof Role)
      .filter((role) => role !== synth.stack.log.integrator.role);
    for (const role of roles) {
      expect(
        permissionsOf(synth.stack, role).filter((p) =>
          /kms:Sign|(PutItem|UpdateItem|DeleteItem) on log\b|s3:(PutObject|DeleteObject) on log-tiles/.test(
            p,
          ),
        ),
        role.node.path,
      ).toEqual([]);
    }
  });

  it("lets no role but the API's reach the case keys, the personal-data key or the cursor secret", () => {
    const apiRoles = [synth.stack.apiFunction.role, synth.stack.streamingApi.role];
    const others = synth.stack.node
      .findAll()
      .filter((construct): construct is Role => construct instanceof Role)
      .filter((role) => !apiRoles.includes(role));
    expect(others.length).toBeGreaterThanOrEqual(2);
    for (const role of others) {
      expect(
        permissionsOf(synth.stack, role).filter(
          (p) =>
            /case-keys|personal-data-key|kms:|cursor-secret|secretsmanager:/.test(p) &&
            !/^kms:(Sign|GetPublicKey) on log-signing-key/.test(p),
        ),
        role.node.path,
      ).toEqual([]);
    }
  });

  it('gives no principal a wildcard action, and nobody a way to change or remove a ledger item', () => {
    const documents = [
      ...Object.values(synth.template.findResources('AWS::IAM::Policy')).map(
        (policy) => (policy as { Properties: { PolicyDocument: unknown } }).Properties.PolicyDocument,
      ),
      ...Object.values(synth.template.findResources('AWS::IAM::Role')).map(
        (role) => (role as { Properties: { Policies?: unknown } }).Properties.Policies ?? [],
      ),
    ];
    expect(JSON.stringify(documents)).not.toMatch(/"[a-z0-9-]+:\*"/);
    const permissions = synth.stack.node
      .findAll()
      .filter((construct): construct is Role => construct instanceof Role)
      .flatMap((role) => permissionsOf(synth.stack, role));
    const changes = permissions.filter((p) =>
      /dynamodb:(UpdateItem|DeleteItem|BatchWriteItem|PartiQL)/.test(p),
    );
    // Deleting a case key is how a case is erased (by either of the API's functions), the views' registry
    // of groups grows by an update, subscriptions change, and the log's state moves by a compare-and-swap;
    // nothing else may be changed or removed.
    expect(changes.sort()).toEqual(
      [
        'dynamodb:UpdateItem on log',
        'dynamodb:DeleteItem on case-keys',
        'dynamodb:DeleteItem on case-keys',
        'dynamodb:DeleteItem on notifications',
        'dynamodb:DeleteItem on notifications',
        'dynamodb:UpdateItem on notifications',
        'dynamodb:UpdateItem on notifications',
        'dynamodb:UpdateItem on views if ForAllValues:StringLike dynamodb:LeadingKeys #groups',
      ].sort(),
    );
  });
});

describe('least privilege, with notifications on', () => {
  let notifying: LedgerTemplate;

  beforeAll(() => {
    notifying = synthLedgerTemplate({ notifyFrom: 'ledger@ngo.example' });
    const { stack } = notifying;
    const parts = stack.notifications!;
    const named: [string, IConstruct][] = [
      ['ledger', stack.tables.ledger],
      ['views', stack.tables.views],
      ['notifications', stack.tables.notifications],
      ['link-secret', parts.linkSecret.secret],
      ['webhook-queue', parts.webhookQueue.queue],
      ['stream-dead-letters', parts.notifier.streamDeadLetterQueue],
      ['notifier-logs', parts.notifier.logGroup],
      ['webhook-logs', parts.webhooks.logGroup],
    ];
    names = new Map(named.map(([name, construct]) => [logicalIdOf(stack, construct), name]));
    synth = notifying;
  });

  const ses = [
    'ses:SendEmail on arn:AWS::Partition:ses:AWS::Region:AWS::AccountId:identity/ngo.example if StringEquals ses:FromAddress ledger@ngo.example',
    'ses:SendRawEmail on arn:AWS::Partition:ses:AWS::Region:AWS::AccountId:identity/ngo.example if StringEquals ses:FromAddress ledger@ngo.example',
  ];

  it('lets the notifier read the ledger, its stream and the views, keep the notifications, send as the identity and queue webhooks; no case key, no personal-data key', () => {
    expect(permissionsOf(notifying.stack, notifying.stack.notifications!.notifier.role)).toEqual(
      [
        ...reads('ledger', ledgerIndexes),
        'dynamodb:DescribeStream on ledger:stream',
        'dynamodb:GetRecords on ledger:stream',
        'dynamodb:GetShardIterator on ledger:stream',
        'dynamodb:ListStreams on ledger:stream',
        ...reads('views', viewsIndexes),
        ...notificationsAccess,
        ...ses,
        'secretsmanager:GetSecretValue on link-secret',
        'sqs:GetQueueAttributes on webhook-queue',
        'sqs:GetQueueUrl on webhook-queue',
        'sqs:SendMessage on webhook-queue',
        'sqs:GetQueueAttributes on stream-dead-letters',
        'sqs:GetQueueUrl on stream-dead-letters',
        'sqs:SendMessage on stream-dead-letters',
        'logs:CreateLogStream on notifier-logs',
        'logs:PutLogEvents on notifier-logs',
      ].sort(),
    );
  });

  it('lets the webhook consumer take messages from its queue and keep the notifications, and read nothing of the ledger', () => {
    expect(permissionsOf(notifying.stack, notifying.stack.notifications!.webhooks.role)).toEqual(
      [
        ...notificationsAccess,
        ...ses,
        'secretsmanager:GetSecretValue on link-secret',
        'sqs:ChangeMessageVisibility on webhook-queue',
        'sqs:DeleteMessage on webhook-queue',
        'sqs:GetQueueAttributes on webhook-queue',
        'sqs:GetQueueUrl on webhook-queue',
        'sqs:ReceiveMessage on webhook-queue',
        'logs:CreateLogStream on webhook-logs',
        'logs:PutLogEvents on webhook-logs',
      ].sort(),
    );
  });
});
