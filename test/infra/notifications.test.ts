import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig, StackConfigError } from '../../infra/config/stack-config.ts';
import type { LedgerNotifications } from '../../infra/ledger-stack.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

let synth: LedgerTemplate;
let parts: LedgerNotifications;
const id = (construct: Parameters<typeof logicalIdOf>[1]) => logicalIdOf(synth.stack, construct);

beforeAll(() => {
  synth = synthLedgerTemplate({ notifyFrom: 'ledger@ngo.example', webhookMaxReceiveCount: 6 });
  parts = synth.stack.notifications!;
  expect(parts).toBeDefined();
});

type Resource = { Properties: Record<string, unknown> };
const resource = (type: string, logicalId: string) =>
  synth.template.findResources(type)[logicalId] as Resource;

describe('notifications in the stack', () => {
  it('keep the notifications table like the ledger: point-in-time recovery, deletion protection, retained', () => {
    const without = synthLedgerTemplate();
    expect(without.stack.notifications).toBeUndefined();
    const table = without.template.findResources('AWS::DynamoDB::GlobalTable')[
      logicalIdOf(without.stack, without.stack.tables.notifications)
    ] as Resource & { DeletionPolicy: string };
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Replicas: [
        expect.objectContaining({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
    // Without a sender nothing is told: no notifier, no queue (the two are the projector's and the log's
    // dead letters).
    expect(Object.keys(without.template.findResources('AWS::SQS::Queue')).sort()).toEqual(
      [
        logicalIdOf(without.stack, without.stack.projector.deadLetterQueue),
        logicalIdOf(without.stack, without.stack.log.integrator.streamDeadLetterQueue),
      ].sort(),
    );
  });

  it('run the notifier every 5 minutes by default, or on the schedule given', () => {
    const rule = resource('AWS::Events::Rule', id(parts.notifier.schedule));
    expect(rule.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [{ Arn: { 'Fn::GetAtt': [id(parts.notifier.function), 'Arn'] }, Id: expect.any(String) }],
    });
    const hourly = synthLedgerTemplate({ notifyFrom: 'ledger@ngo.example', notifySchedule: 'rate(1 hour)' });
    const hourlyRule = hourly.template.findResources('AWS::Events::Rule')[
      logicalIdOf(hourly.stack, hourly.stack.notifications!.notifier.schedule)
    ] as Resource;
    expect(hourlyRule.Properties.ScheduleExpression).toBe('rate(1 hour)');
  });

  it("feed the notifier the ledger stream's event INSERTs only, from the newest record, with a dead-letter queue", () => {
    const mappings = Object.values(
      synth.template.findResources('AWS::Lambda::EventSourceMapping'),
    ) as Resource[];
    const mapping = mappings.find(
      (m) =>
        JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: id(parts.notifier.function) }),
    )!;
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [id(synth.stack.tables.ledger), 'StreamArn'] },
      StartingPosition: 'LATEST',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [id(parts.notifier.streamDeadLetterQueue), 'Arn'] } },
      },
    });
    const filters = (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { NewImage: { itemKind: { S: ['event'] } } } },
    ]);
  });

  it('hand webhooks to an encrypted, TLS-only queue that moves a message to its dead-letter queue after the receives given', () => {
    const queue = resource('AWS::SQS::Queue', id(parts.webhookQueue.queue));
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [id(parts.webhookQueue.deadLetterQueue), 'Arn'] },
        maxReceiveCount: 6,
      },
    });
    expect(resource('AWS::SQS::Queue', id(parts.webhookQueue.deadLetterQueue)).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
    });
    for (const q of [parts.webhookQueue.queue, parts.webhookQueue.deadLetterQueue]) {
      synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id(q) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
    const consumer = (
      Object.values(synth.template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[]
    ).find(
      (m) =>
        JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: id(parts.webhooks.function) }),
    )!;
    expect(consumer.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [id(parts.webhookQueue.queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('let the notifier and the webhook consumer send email as the SES identity alone, from the sender alone', () => {
    const statements = Object.values(synth.template.findResources('AWS::IAM::Policy'))
      .flatMap(
        (policy) =>
          (policy as Resource).Properties.PolicyDocument as { Statement: Record<string, unknown>[] },
      )
      .flatMap((document) => document.Statement);
    const ses = statements.filter((s) => JSON.stringify(s.Action).includes('ses:'));
    expect(ses).toHaveLength(2);
    for (const statement of ses) {
      expect(statement).toEqual({
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':identity/ngo.example',
            ],
          ],
        },
        Condition: { StringEquals: { 'ses:FromAddress': 'ledger@ngo.example' } },
      });
    }
  });

  it('tell the functions their tables, sender, identity, links, queue and link key', () => {
    const variables = (fn: Parameters<typeof logicalIdOf>[1]) =>
      (
        resource('AWS::Lambda::Function', id(fn)).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    const shared = {
      NOTIFICATIONS_TABLE: { Ref: id(synth.stack.tables.notifications) },
      NOTIFY_FROM: 'ledger@ngo.example',
      SES_IDENTITY: 'ngo.example',
      APP_BASE_URL: expect.anything(),
      NOTIFY_LINK_SECRET_ARN: { Ref: id(parts.linkSecret.secret) },
    };
    expect(variables(parts.notifier.function)).toMatchObject({
      ...shared,
      LEDGER_TABLE: { Ref: id(synth.stack.tables.ledger) },
      VIEWS_TABLE: { Ref: id(synth.stack.tables.views) },
      WEBHOOK_QUEUE_URL: { Ref: id(parts.webhookQueue.queue) },
      ALERT_CONSULAR_VISIT_DAYS: '30',
    });
    expect(variables(parts.webhooks.function)).toMatchObject({
      ...shared,
      WEBHOOK_QUEUE_URL: { Ref: id(parts.webhookQueue.queue) },
    });
    expect(variables(parts.webhooks.function).LEDGER_TABLE).toBeUndefined();
    // The API checks confirm and unsubscribe links with the same key, and manages subscriptions in the table.
    expect(variables(synth.stack.apiFunction.function)).toMatchObject({
      NOTIFY_LINK_SECRET_ARN: { Ref: id(parts.linkSecret.secret) },
      NOTIFICATIONS_TABLE: { Ref: id(synth.stack.tables.notifications) },
    });
  });

  it('alarm on a message in either dead-letter queue', () => {
    const alarms = synth.template.findResources('AWS::CloudWatch::Alarm');
    const watched = Object.values(alarms).map((alarm) =>
      JSON.stringify((alarm as Resource).Properties.Dimensions ?? []),
    );
    for (const queue of [parts.webhookQueue.deadLetterQueue, parts.notifier.streamDeadLetterQueue]) {
      expect(watched.some((dimensions) => dimensions.includes(id(queue)))).toBe(true);
    }
  });

  it('refuse a sender the SES identity cannot send as, and an identity without a sender', () => {
    expect(() =>
      parseStackConfig({ notifyFrom: 'ledger@ngo.example', sesIdentity: 'other.example' }),
    ).toThrow(/notifyFrom must be an address of sesIdentity/);
    expect(() => parseStackConfig({ sesIdentity: 'ngo.example' })).toThrow(StackConfigError);
    expect(() => parseStackConfig({ notifyFrom: 'not an address' })).toThrow(/notifyFrom: must be an e-mail/);
    expect(
      parseStackConfig({ notifyFrom: 'ledger@ngo.example', sesIdentity: 'ledger@ngo.example' }).sesIdentity,
    ).toBe('ledger@ngo.example');
  });
});
