import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createLedgerApp } from '../../infra/ledger-app.ts';
import type { LedgerStack } from '../../infra/ledger-stack.ts';
import { cdkJsonContext, synthLedgerTemplate, WEB_DIST_FIXTURE } from './ledger-template.ts';

/** Every acknowledged rule in a construct tree: where, which rule, and why. */
function acknowledgementsIn(root: IConstruct) {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path.replace(`${root.node.path}/`, ''),
          rule: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag (AWS Solutions rules)', () => {
  let stack: Stack;

  beforeAll(() => {
    stack = synthLedgerTemplate().stack;
  });

  it('finds nothing unacknowledged in the stack with its own user pool', () => {
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('finds nothing unacknowledged in the stack trusting an existing issuer', () => {
    const external = synthLedgerTemplate({
      jwtIssuer: 'https://login.example.org',
      jwtAudience: 'ledger',
      webClientId: 'ledger-web',
    });
    expect(new AwsSolutionsChecks(external.stack).validateScope(external.stack).violations).toEqual([]);
  });

  it('finds nothing unacknowledged with notifications on, and acknowledges only the link key and the stream dead letters', () => {
    const notifying = synthLedgerTemplate({ notifyFrom: 'ledger@ngo.example' }).stack;
    expect(new AwsSolutionsChecks(notifying).validateScope(notifying).violations).toEqual([]);
    const extra = acknowledgementsIn(notifying).filter(
      ({ path }) => path.startsWith('Notif') || path.startsWith('Webhook'),
    );
    expect(extra.map(({ path, rule }) => `${rule} at ${path}`).sort()).toEqual([
      'AwsSolutions-SMG4 at NotifyLinkSecret/Secret',
      'AwsSolutions-SQS3 at Notifier/StreamDeadLetters',
    ]);
  });

  it('acknowledges exactly these findings, each on its own resource and with its reason', () => {
    const acknowledged = acknowledgementsIn(stack);
    const deployment = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    )!.node.id;
    const webBucket = stack.getLogicalId((stack as LedgerStack).web.bucket.node.defaultChild as CfnElement);
    const logTiles = stack.getLogicalId(
      (stack as LedgerStack).log.tiles.bucket.node.defaultChild as CfnElement,
    );
    expect(acknowledged.map(({ path, rule }) => `${rule} at ${path}`).sort()).toEqual(
      [
        'AwsSolutions-APIG4 at HttpApi/Api/GET--health',
        'AwsSolutions-APIG4 at HttpApi/Api/GET--openapi.json',
        // The log's public half: hashes only, for witnesses and auditors without an account.
        'AwsSolutions-APIG4 at HttpApi/Api/GET--log--checkpoint',
        'AwsSolutions-APIG4 at HttpApi/Api/GET--log--key',
        'AwsSolutions-APIG4 at HttpApi/Api/GET--log--proof--consistency',
        'AwsSolutions-APIG4 at HttpApi/Api/GET--log--tile--{proxy+}',
        // The tiles under tile/, one key per tile: read by the API's functions, written by the integrator.
        ...['ApiFunction/Role', 'StreamingApiFunction/Role', 'LogIntegrator/Role'].map(
          (role) => `AwsSolutions-IAM5[Resource::<${logTiles}.Arn>/tile/*] at ${role}`,
        ),
        'AwsSolutions-S1 at LogTiles/Bucket',
        'AwsSolutions-SQS3 at LogIntegrator/StreamDeadLetters',
        'AwsSolutions-COG8 at Auth/UserPool',
        'AwsSolutions-SMG4 at ApiFunction/CursorSecret',
        'AwsSolutions-SQS3 at Projector/DeadLetters',
        // Worldwide users, API Gateway's throttling instead of a paid WAF, CloudFront's own certificate.
        'AwsSolutions-CFR1 at Web/Distribution',
        'AwsSolutions-CFR2 at Web/Distribution',
        'AwsSolutions-CFR4 at Web/Distribution',
        'AwsSolutions-S1 at Web/AccessLogs',
        // aws-cdk-lib's own function that copies the build into the bucket while deploying, each wildcard by name.
        ...[
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          'AwsSolutions-IAM5[Action::s3:Abort*]',
          'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
          'AwsSolutions-IAM5[Action::s3:GetBucket*]',
          'AwsSolutions-IAM5[Action::s3:GetObject*]',
          'AwsSolutions-IAM5[Action::s3:List*]',
          `AwsSolutions-IAM5[Resource::<${webBucket}.Arn>/*]`,
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
          'AwsSolutions-L1',
        ].map((rule) => `${rule} at ${deployment}`),
      ].sort(),
    );
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(60);
  });

  it('reports findings in this version, so a clean report means something', () => {
    const stack = new Stack(new App(), 'Plain');
    new Queue(stack, 'PlainQueue');
    const rules = new AwsSolutionsChecks(stack).validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('fails the synth of the app on an unacknowledged finding', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { app, stack } = createLedgerApp({
        context: { ...cdkJsonContext(), webDist: WEB_DIST_FIXTURE, 'aws:cdk:bundling-stacks': [] },
      });
      new Queue(stack, 'PlainQueue');
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
    } finally {
      quiet.mockRestore();
    }
  });
});
