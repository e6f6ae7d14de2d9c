import { beforeAll, describe, expect, it } from 'vitest';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

interface AlarmProperties {
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly Statistic?: string;
  readonly Period?: number;
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly Dimensions?: { Name: string; Value: unknown }[];
  readonly Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
  readonly AlarmActions: unknown[];
  readonly OKActions: unknown[];
  readonly TreatMissingData: string;
}

let synth: LedgerTemplate;
let alarms: Record<string, AlarmProperties>;

beforeAll(() => {
  synth = synthLedgerTemplate({
    alarmEmail: 'duty@example.org',
    alarmIteratorAgeSeconds: 120,
    alarmDlqMessages: 2,
    alarmApi5xxPercent: 5,
    alarmLambdaErrors: 3,
    alarmLambdaThrottles: 4,
  });
  alarms = Object.fromEntries(
    synth.stack.alarms.alarms.map((alarm) => [
      alarm.node.id,
      (
        synth.template.findResources('AWS::CloudWatch::Alarm')[logicalIdOf(synth.stack, alarm)] as {
          Properties: AlarmProperties;
        }
      ).Properties,
    ]),
  );
});

const ref = (construct: Parameters<typeof logicalIdOf>[1]) => ({ Ref: logicalIdOf(synth.stack, construct) });

describe('alarms', () => {
  it('are the sixteen the ledger needs, each notifying the topic when it fires and when it clears', () => {
    synth.template.resourceCountIs('AWS::CloudWatch::Alarm', 16);
    expect(Object.keys(alarms).sort()).toEqual([
      'Api5xxRate',
      'ApiErrors',
      'ApiThrottles',
      'DeadLetters',
      'DigestErrors',
      'DigestThrottles',
      'LedgerTampered',
      'LogIntegratorErrors',
      'LogIntegratorIteratorAge',
      'LogIntegratorStreamDeadLetters',
      'LogIntegratorThrottles',
      'ProjectorErrors',
      'ProjectorIteratorAge',
      'ProjectorThrottles',
      'StreamingErrors',
      'StreamingThrottles',
    ]);
    const topic = ref(synth.stack.alarms.topic);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it('fire on the first tamper signal the projector logs in five minutes', () => {
    expect(alarms.LedgerTampered).toMatchObject({
      Namespace: 'detention-ledger-dev',
      MetricName: 'LedgerTampered',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarms.LedgerTampered?.Dimensions).toBeUndefined();
  });

  it("count tamper signals with a metric filter on the projector's log group, in the stack's own namespace", () => {
    synth.template.resourceCountIs('AWS::Logs::MetricFilter', 1);
    synth.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: ref(synth.stack.projector.logGroup),
      FilterPattern: '{ $.message = "ledger_tampered*" }',
      MetricTransformations: [
        { MetricNamespace: 'detention-ledger-dev', MetricName: 'LedgerTampered', MetricValue: '1' },
      ],
    });
  });

  it("fire when the projector's stream iterator age passes the threshold", () => {
    expect(alarms.ProjectorIteratorAge).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Statistic: 'Maximum',
      Threshold: 120_000,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'FunctionName', Value: ref(synth.stack.projector.function) }],
    });
  });

  it('fire when the dead-letter queue holds messages', () => {
    expect(alarms.DeadLetters).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('fire on the rate of API 5xx answers, in percent of requests', () => {
    const metrics = alarms.Api5xxRate?.Metrics ?? [];
    expect(metrics.map((metric) => metric.Expression ?? metric.MetricStat?.Metric.MetricName)).toEqual([
      'IF(requests > 0, 100 * errors / requests, 0)',
      '5xx',
      'Count',
    ]);
    expect(alarms.Api5xxRate).toMatchObject({
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('fire on errors and throttles of each function, a failed digest included', () => {
    for (const [name, fn] of [
      ['Api', synth.stack.apiFunction.function],
      ['Projector', synth.stack.projector.function],
      ['Digest', synth.stack.digest.function],
      ['Streaming', synth.stack.streamingApi.function],
    ] as const) {
      const dimensions = [{ Name: 'FunctionName', Value: ref(fn) }];
      expect(alarms[`${name}Errors`]).toMatchObject({
        MetricName: 'Errors',
        Threshold: 3,
        Dimensions: dimensions,
      });
      expect(alarms[`${name}Throttles`]).toMatchObject({
        MetricName: 'Throttles',
        Threshold: 4,
        Dimensions: dimensions,
      });
    }
  });

  it('reach the configured address through an SNS topic that only accepts TLS', () => {
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'duty@example.org',
      TopicArn: ref(synth.stack.alarms.topic),
    });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Principal: '*',
            Resource: ref(synth.stack.alarms.topic),
            Sid: 'AllowPublishThroughSSLOnly',
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  it('have no subscriber when no address is configured', () => {
    synthLedgerTemplate().template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('the dashboard', () => {
  it('shows every alarm', () => {
    synth.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const dashboard = Object.values(synth.template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(dashboard);
    for (const alarm of synth.stack.alarms.alarms) {
      const arn = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(synth.stack, alarm), 'Arn'] });
      // The alarm status widget and the alarm's own graph.
      expect(body.split(arn).length - 1).toBe(2);
    }
  });

  it('graphs the tamper signals and the digest runs', () => {
    const dashboard = Object.values(synth.template.findResources('AWS::CloudWatch::Dashboard'))[0] as {
      Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } };
    };
    const body = dashboard.Properties.DashboardBody['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
      .join('');
    expect(body).toContain('"title":"Ledger integrity"');
    expect(body).toContain(
      '["detention-ledger-dev","LedgerTampered",{"label":"Tamper signals","stat":"Sum"}]',
    );
    const digest = JSON.stringify({ Ref: logicalIdOf(synth.stack, synth.stack.digest.function) });
    expect(body).toContain(`["AWS/Lambda","Invocations","FunctionName","${digest}`);
    expect(body).toContain(`["AWS/Lambda","Errors","FunctionName","${digest}`);
  });

  it('graphs the streamed exports: how many, how many failed or were throttled, and how long they take', () => {
    const dashboard = Object.values(synth.template.findResources('AWS::CloudWatch::Dashboard'))[0] as {
      Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } };
    };
    const body = dashboard.Properties.DashboardBody['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
      .join('');
    expect(body).toContain('"title":"Streamed exports"');
    const streaming = JSON.stringify({ Ref: logicalIdOf(synth.stack, synth.stack.streamingApi.function) });
    for (const metric of ['Invocations', 'Errors', 'Throttles', 'Duration']) {
      expect(body, metric).toContain(`["AWS/Lambda","${metric}","FunctionName","${streaming}`);
    }
  });
});

describe('outputs', () => {
  it('give the web application, the API URL, the table names, the personal-data key, the digest function and the user pool', () => {
    const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual([
      'AlarmTopicArn',
      'ApiUrl',
      'CaseKeysTableName',
      'DashboardName',
      'DigestFunctionName',
      'DistributionUrl',
      'JwtIssuer',
      'LedgerTableName',
      'LogBucketName',
      'LogIntegratorFunctionName',
      'LogOrigin',
      'LogSigningKeyArn',
      'LogTableName',
      'NotificationsTableName',
      'PersonalDataKeyArn',
      'SignInDomain',
      'StreamingApiUrl',
      'UserPoolClientId',
      'UserPoolId',
      'ViewsTableName',
      'WebAppUrl',
      'WebClientId',
    ]);
    expect(outputs.WebAppUrl?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.web.distribution), 'DomainName'] },
          '/app/',
        ],
      ],
    });
    expect(outputs.LedgerTableName?.Value).toEqual(ref(synth.stack.tables.ledger));
    expect(outputs.ViewsTableName?.Value).toEqual(ref(synth.stack.tables.views));
    expect(outputs.CaseKeysTableName?.Value).toEqual(ref(synth.stack.tables.keys));
    expect(outputs.PersonalDataKeyArn?.Value).toEqual({
      'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.personalDataKey.key), 'Arn'],
    });
    expect(outputs.DigestFunctionName?.Value).toEqual(ref(synth.stack.digest.function));
    expect(outputs.StreamingApiUrl?.Value).toEqual({
      'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.streamingApi.url), 'FunctionUrl'],
    });
    expect(outputs.UserPoolId?.Value).toEqual(ref(synth.stack.auth.userPool!));
    expect(outputs.UserPoolClientId?.Value).toEqual(ref(synth.stack.auth.userPoolClient!));
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain(
      logicalIdOf(synth.stack, synth.stack.httpApi.api),
    );
  });
});
