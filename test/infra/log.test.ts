import { createHash } from 'node:crypto';
import { App, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { logTable } from '../../functions/tables/table-definitions.ts';
import { toCreateTableInput } from '../../functions/tables/to-create-table-input.ts';
import { defaultLogOrigin } from '../../infra/config/log-context.ts';
import { parseStackConfig, StackConfigError } from '../../infra/config/stack-config.ts';
import { LOG_PASS_INPUT, LOG_STREAM_BATCH_SIZE } from '../../infra/constructs/log-integrator-function.ts';
import { LogSigningKey } from '../../infra/constructs/log-signing-key.ts';
import { LOG_STREAM_FILTERS } from '../../infra/constructs/log-stream-filters.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

interface Resource {
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/**
 * A witness's verifier key, made here from the C2SP formats alone: `<name>+<hex key id>+<base64(0x04 || key)>`,
 * the key id the first four bytes of SHA-256(name || 0x0A || 0x04 || key).
 */
function witnessKey(name: string, seed: number, type = 0x04): string {
  const key = Buffer.alloc(32, seed);
  const typed = Buffer.concat([Buffer.from([type]), key]);
  const id = createHash('sha256')
    .update(Buffer.concat([Buffer.from(name), Buffer.from([0x0a]), typed]))
    .digest()
    .subarray(0, 4)
    .toString('hex');
  return `${name}+${id}+${typed.toString('base64')}`;
}

const WITNESS_A = `${witnessKey('witness.ngo-a.example/w1', 7)} https://witness.ngo-a.example/w1`;
const WITNESS_B = `${witnessKey('witness.ngo-b.example', 9)} https://witness.ngo-b.example`;

let synth: LedgerTemplate;

const resourceOf = (construct: Parameters<typeof logicalIdOf>[1], of = synth) =>
  of.template.toJSON().Resources[logicalIdOf(of.stack, construct)] as Resource;

beforeAll(() => {
  synth = synthLedgerTemplate();
});

/** Every statement of the policies attached to a role. */
function statementsOf(of: LedgerTemplate, role: Parameters<typeof logicalIdOf>[1]): Statement[] {
  const policies = of.template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalIdOf(of.stack, role) }] },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}

function problemsOf(context: Record<string, unknown>): readonly string[] {
  try {
    parseStackConfig(context);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the context to be refused');
}

describe("the log's table, kept like the ledger", () => {
  it('has exactly the keys the local runtime creates, no index and no stream', () => {
    const table = resourceOf(synth.stack.tables.log);
    const local = toCreateTableInput(logTable, 'log');
    expect(synth.stack.tables.definitions.log).toBe(logTable);
    expect(table.Properties.KeySchema).toEqual(local.KeySchema);
    expect(table.Properties.AttributeDefinitions).toEqual(local.AttributeDefinitions);
    expect(table.Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(table.Properties.StreamSpecification).toBeUndefined();
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('has point-in-time recovery and deletion protection, and is kept when the stack is deleted or replaced', () => {
    const table = resourceOf(synth.stack.tables.log);
    expect(table.Properties.Replicas).toEqual([
      expect.objectContaining({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    ]);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('is encrypted with the AWS-managed key, and has no append-only policy: its state item moves', () => {
    const table = resourceOf(synth.stack.tables.log);
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(table.Properties.Replicas).toEqual([
      expect.not.objectContaining({ ResourcePolicy: expect.anything() }),
    ]);
  });
});

describe("the log's tiles bucket", () => {
  it('blocks every kind of public access', () => {
    expect(resourceOf(synth.stack.log.tiles.bucket).Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('refuses every request that is not over TLS, to every principal', () => {
    const bucketId = logicalIdOf(synth.stack, synth.stack.log.tiles.bucket);
    const policies = Object.values(
      synth.template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }),
    ) as Resource[];
    expect(policies).toHaveLength(1);
    const statements = (policies[0]!.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements).toEqual([
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [
          { 'Fn::GetAtt': [bucketId, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        ],
      },
    ]);
  });

  it('is encrypted by S3, versioned so an overwritten tile can be recovered, and kept', () => {
    const bucket = resourceOf(synth.stack.log.tiles.bucket);
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    // Earlier versions are kept a year, then go: the checkpoint alone moves a few hundred times a day.
    expect(bucket.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        expect.objectContaining({
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: 365 },
        }),
      ],
    });
  });
});

describe("the log's signing key", () => {
  const keyOf = (of = synth) => resourceOf(of.stack.log.signingKey.key, of);
  const keyStatements = (of = synth) =>
    (keyOf(of).Properties.KeyPolicy as { Statement: Statement[] }).Statement;
  const integratorRoleArn = () => ({
    'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.log.integrator.role), 'Arn'],
  });

  it('is an Ed25519 key for signing, never rotated, kept when the stack is deleted', () => {
    const key = keyOf();
    expect(key.Properties.KeySpec).toBe('ECC_NIST_EDWARDS25519');
    expect(key.Properties.KeyUsage).toBe('SIGN_VERIFY');
    expect(key.Properties.EnableKeyRotation).not.toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.UpdateReplacePolicy).toBe('Retain');
    expect(String(key.Properties.Description)).toMatch(/never rotated/);
  });

  it('has an alias named after the stack', () => {
    synth.template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/detention-ledger-dev/log-signing',
      TargetKeyId: { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.log.signingKey.key), 'Arn'] },
    });
  });

  it("signs for the integrator's role alone, in pure Ed25519 over the message itself", () => {
    const statements = keyStatements();
    const allowsSign = statements.filter(
      (statement) => statement.Effect === 'Allow' && [statement.Action].flat().some((a) => /Sign|\*/.test(a)),
    );
    expect(allowsSign).toEqual([
      {
        Sid: 'IntegratorSignsCheckpoints',
        Effect: 'Allow',
        Principal: { AWS: expect.anything() },
        Action: 'kms:Sign',
        Resource: '*',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': integratorRoleArn() },
          StringEquals: { 'kms:SigningAlgorithm': 'ED25519_SHA_512', 'kms:MessageType': 'RAW' },
        },
      },
    ]);
    expect(statements.find((statement) => statement.Sid === 'NobodyElseSigns')).toEqual({
      Sid: 'NobodyElseSigns',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Sign',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': integratorRoleArn() } },
    });
  });

  it('lets the account manage it and read its public key through IAM, but not sign, decrypt or do everything', () => {
    const account = keyStatements().find((statement) => statement.Sid === 'AccountManagesButDoesNotSign')!;
    const actions = [account.Action].flat();
    expect(actions).toContain('kms:GetPublicKey');
    expect(actions).toContain('kms:PutKeyPolicy');
    expect(actions.filter((action) => /\*|Sign|Verify|crypt|DataKey|CreateGrant/.test(action))).toEqual([]);
  });

  it('denies disabling or deleting it to everyone, or to everyone but the break-glass principal', () => {
    const destructive = (of: LedgerTemplate) =>
      keyStatements(of).find((statement) => statement.Sid === 'OnlyBreakGlassDisablesOrDeletes');
    expect(destructive(synth)).toEqual({
      Sid: 'OnlyBreakGlassDisablesOrDeletes',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
      Resource: '*',
    });
    const breakGlass = 'arn:aws:iam::111122223333:role/ledger-break-glass';
    const named = synthLedgerTemplate({ breakGlassPrincipalArn: breakGlass });
    expect(destructive(named)?.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': breakGlass } });
  });

  it('has one signer only: granting it to a second role is refused at synth', () => {
    const stack = new Stack(new App(), 'Keys');
    const key = new LogSigningKey(stack, 'LogKey');
    const role = (id: string) =>
      new Role(stack, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    key.grantSign(role('First'));
    expect(() => key.grantSign(role('Second'))).toThrow(/alone/);
  });

  it('is named to the API, which may only read its public half, and to the integrator', () => {
    const keyArn = { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.log.signingKey.key), 'Arn'] };
    for (const role of [synth.stack.apiFunction.role, synth.stack.streamingApi.role]) {
      const kms = statementsOf(synth, role).filter((s) => JSON.stringify(s.Action).includes('kms:'));
      const onLogKey = kms.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn));
      expect(onLogKey).toEqual([{ Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: keyArn }]);
    }
  });
});

describe("the log's integrator", () => {
  let mapping: Resource;

  beforeAll(() => {
    const mappings = Object.values(
      synth.template.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { FunctionName: { Ref: logicalIdOf(synth.stack, synth.stack.log.integrator.function) } },
      }),
    ) as Resource[];
    expect(mappings).toHaveLength(1);
    mapping = mappings[0]!;
  });

  it("reads the ledger's stream from its oldest record, at most 49 events a batch: one transaction's worth", () => {
    expect(LOG_STREAM_BATCH_SIZE).toBe(49);
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.tables.ledger), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 49,
    });
  });

  it('is invoked for event INSERTs only: never a guard, and never a changed or removed event', () => {
    const { Filters } = mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] };
    expect(Filters.map((filter) => JSON.parse(filter.Pattern))).toEqual(
      JSON.parse(JSON.stringify(LOG_STREAM_FILTERS)),
    );
    const matches = (pattern: unknown, value: unknown): boolean => {
      if (Array.isArray(pattern)) return pattern.includes(value);
      if (typeof value !== 'object' || value === null) return false;
      return Object.entries(pattern as Record<string, unknown>).every(([key, inner]) =>
        matches(inner, (value as Record<string, unknown>)[key]),
      );
    };
    const invokes = (record: object) => Filters.some((filter) => matches(JSON.parse(filter.Pattern), record));
    const image = (kind: string) => ({ itemKind: { S: kind }, streamId: { S: 'case-1' } });
    expect(invokes({ eventName: 'INSERT', dynamodb: { NewImage: image('event') } })).toBe(true);
    expect(invokes({ eventName: 'INSERT', dynamodb: { NewImage: image('event-id-guard') } })).toBe(false);
    expect(invokes({ eventName: 'INSERT', dynamodb: { NewImage: image('digest') } })).toBe(false);
    expect(
      invokes({ eventName: 'MODIFY', dynamodb: { NewImage: image('event'), OldImage: image('event') } }),
    ).toBe(false);
    expect(invokes({ eventName: 'REMOVE', dynamodb: { OldImage: image('event') } })).toBe(false);
  });

  it('splits a failing batch, retries it a bounded number of times, and sets what still fails on its dead-letter queue', () => {
    const queue = logicalIdOf(synth.stack, synth.stack.log.integrator.streamDeadLetterQueue);
    expect(mapping.Properties).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    expect(resourceOf(synth.stack.log.integrator.streamDeadLetterQueue).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('alarms on the first record in its dead-letter queue, and when it falls behind the stream', () => {
    const alarms = synth.template.findResources('AWS::CloudWatch::Alarm');
    const queueName = {
      'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.log.integrator.streamDeadLetterQueue), 'QueueName'],
    };
    const onQueue = Object.values(alarms).filter((alarm) =>
      JSON.stringify((alarm as Resource).Properties.Dimensions ?? null).includes(JSON.stringify(queueName)),
    ) as Resource[];
    expect(onQueue.map((alarm) => alarm.Properties)).toEqual([
      expect.objectContaining({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: logicalIdOf(synth.stack, synth.stack.alarms.topic) }],
      }),
    ]);
    const fn = { Ref: logicalIdOf(synth.stack, synth.stack.log.integrator.function) };
    expect(
      Object.values(alarms)
        .map((alarm) => (alarm as Resource).Properties)
        .filter((alarm) => alarm.MetricName === 'IteratorAge')
        .filter((alarm) => JSON.stringify(alarm.Dimensions ?? null).includes(JSON.stringify(fn))),
    ).toHaveLength(1);
  });

  it('runs a backfill and publish pass every five minutes', () => {
    const rule = resourceOf(synth.stack.log.integrator.schedule);
    const fnArn = { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.log.integrator.function), 'Arn'] };
    expect(rule.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [expect.objectContaining({ Arn: fnArn, Input: JSON.stringify(LOG_PASS_INPUT) })],
    });
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: fnArn,
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.log.integrator.schedule), 'Arn'] },
    });
  });

  it('names every resource it may use: no grant of the log reaches `*`', () => {
    const roles = [
      synth.stack.log.integrator.role,
      synth.stack.apiFunction.role,
      synth.stack.streamingApi.role,
    ];
    for (const role of roles) {
      const statements = statementsOf(synth, role);
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect([statement.Resource].flat(), role.node.path).not.toContain('*');
        expect([statement.Action].flat().filter((action) => action.includes('*'))).toEqual([]);
      }
    }
    // Each S3 action on each resource, as one pair apiece (IAM may merge statements).
    const bucketArn = { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.log.tiles.bucket), 'Arn'] };
    const objects = (key: string) => JSON.stringify({ 'Fn::Join': ['', [bucketArn, `/${key}`]] });
    const s3 = statementsOf(synth, synth.stack.log.integrator.role)
      .flatMap((s) =>
        [s.Action]
          .flat()
          .flatMap((action) => [s.Resource].flat().map((r) => `${action} ${JSON.stringify(r)}`)),
      )
      .filter((pair) => pair.startsWith('s3:'));
    expect(s3.sort()).toEqual(
      [
        `s3:GetObject ${objects('tile/*')}`,
        `s3:GetObject ${objects('checkpoint')}`,
        `s3:PutObject ${objects('tile/*')}`,
        `s3:PutObject ${objects('checkpoint')}`,
        `s3:ListBucket ${JSON.stringify(bucketArn)}`,
      ].sort(),
    );
  });
});

describe("the log's identity, from the context", () => {
  it('defaults the origin to a name under .invalid derived from the stack, which nobody can own', () => {
    expect(defaultLogOrigin('detention-ledger-prod')).toBe(
      'detention-ledger-prod.detention-ledger.invalid/log',
    );
    synth.template.hasOutput('LogOrigin', { Value: 'detention-ledger-dev.detention-ledger.invalid/log' });
  });

  it('gives the integrator and both API functions the origin and witnesses given', () => {
    const named = synthLedgerTemplate({
      logOrigin: 'ledger.ngo.example/log',
      logWitnesses: `${WITNESS_A}; ${WITNESS_B}`,
    });
    for (const fn of [named.stack.log.integrator, named.stack.apiFunction, named.stack.streamingApi]) {
      const variables = (
        resourceOf(fn.function, named).Properties.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(variables, fn.node.path).toMatchObject({
        LOG_ORIGIN: 'ledger.ngo.example/log',
        LOG_WITNESSES: `${WITNESS_A}; ${WITNESS_B}`,
      });
    }
    const report = new AwsSolutionsChecks(named.stack).validateScope(named.stack);
    expect(report.violations).toEqual([]);
  });

  it.each([
    ['a scheme', 'https://ledger.ngo.example/log', /host name and an optional path/],
    ['a space', 'ledger.ngo.example/my log', /no spaces/],
    ['a plus', 'ledger.ngo.example/log+1', /no \+/],
    ['upper case', 'Ledger.NGO.example/log', /host name/],
    ['a newline', 'ledger.ngo.example/log\nsecond line', /no spaces|control/],
    ['too long', `ledger.ngo.example/${'a'.repeat(260)}`, /255/],
  ])('refuses an origin with %s, in plain words', (_, logOrigin, message) => {
    const problems = problemsOf({ logOrigin });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^logOrigin: /);
    expect(problems[0]).toMatch(message);
  });

  it.each([
    ['no URL', witnessKey('witness.example', 1), /<verifier key> <url>/],
    ['plain http', `${witnessKey('witness.example', 1)} http://witness.example`, /https/],
    ['a loopback witness', `${witnessKey('witness.example', 1)} http://127.0.0.1:9999`, /https/],
    ['a query', `${witnessKey('witness.example', 1)} https://witness.example/?k=1`, /query/],
    [
      'a log key, not a witness key',
      `${witnessKey('witness.example', 1, 0x01)} https://witness.example`,
      /0x04|cosignature/,
    ],
    [
      'a wrong key id',
      `${witnessKey('witness.example', 1).replace(/\+[0-9a-f]{8}\+/, '+00000000+')} https://w.example`,
      /./,
    ],
    ['garbage', 'not-a-key https://witness.example', /verifier key/],
    ['a witness named twice', `${WITNESS_A};${WITNESS_A}`, /twice/],
    ['only separators', ' ; ; ', /no witness/],
  ])('refuses witnesses with %s, naming the key', (_, logWitnesses, message) => {
    const problems = problemsOf({ logWitnesses });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/^logWitnesses: /);
    expect(problems.join('\n')).toMatch(message);
  });

  it('takes well-formed witnesses as the functions will read them', () => {
    expect(parseStackConfig({ logWitnesses: ` ${WITNESS_A};${WITNESS_B} ` }).logWitnesses).toBe(
      `${WITNESS_A};${WITNESS_B}`,
    );
    expect(parseStackConfig({}).logWitnesses).toBeUndefined();
    expect(parseStackConfig({}).logOrigin).toBeUndefined();
  });
});
