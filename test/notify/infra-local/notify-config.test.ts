import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../functions/config.ts';
import { loadNotifyConfig, type NotifierPlace } from '../../../functions/notify/notify-config.ts';
import { loadLocalConfig } from '../../../local/local-config.ts';

function problemsOf(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigurationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}
const refused = (env: Record<string, string>, place: NotifierPlace) =>
  problemsOf(() => loadNotifyConfig(env, place));

const AWS = {
  NOTIFY_FROM: 'ledger@ngo.example',
  APP_BASE_URL: 'https://ledger.ngo.example/app',
  SES_IDENTITY: 'ngo.example',
  NOTIFY_LINK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:link-AbCdEf',
  WEBHOOK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks',
};

describe('the notifier configuration', () => {
  it('locally: mail to files, webhooks at once, https only, a pass a minute, when nothing is set', () => {
    expect(loadNotifyConfig({}, 'local')).toEqual({
      from: 'detention-ledger@localhost',
      linkSecret: { kind: 'unset' },
      email: { kind: 'files' },
      webhooks: { mode: 'direct' },
      webhookPolicy: { allowHttp: false, allowLoopback: false },
      intervalSeconds: 60,
    });
    const set = loadNotifyConfig(
      { SMTP_URL: 'smtp://127.0.0.1:1025', WEBHOOKS_ALLOW_LOOPBACK: '1', WEBHOOKS_ALLOW_HTTP: 'true' },
      'local',
    );
    expect(set.email).toEqual({ kind: 'smtp', url: 'smtp://127.0.0.1:1025' });
    expect(set.webhookPolicy).toEqual({ allowHttp: true, allowLoopback: true });
  });

  it('on AWS: SES as the identity, webhooks to the queue, the link key from Secrets Manager', () => {
    expect(loadNotifyConfig(AWS, 'aws')).toMatchObject({
      from: 'ledger@ngo.example',
      appBaseUrl: 'https://ledger.ngo.example/app/',
      email: { kind: 'ses', identity: 'ngo.example' },
      webhooks: { mode: 'queue', queueUrl: AWS.WEBHOOK_QUEUE_URL },
      linkSecret: { kind: 'secrets-manager', arn: AWS.NOTIFY_LINK_SECRET_ARN },
    });
  });

  it('refuses malformed, oversized and hostile values in plain words', () => {
    const problems = refused(
      {
        NOTIFY_FROM: 'not an address',
        SMTP_URL: 'http://mail.example',
        NOTIFY_LINK_SECRET: 'short',
        WEBHOOKS_ALLOW_LOOPBACK: 'yes please',
        NOTIFY_INTERVAL_SECONDS: '1e3',
        APP_BASE_URL: `javascript:alert(1)`,
      },
      'local',
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^NOTIFY_FROM: the sender address/),
        expect.stringMatching(/^SMTP_URL: an SMTP server URL/),
        'NOTIFY_LINK_SECRET: at least 32 characters',
        expect.stringMatching(/^WEBHOOKS_ALLOW_LOOPBACK: 1 to let webhook endpoints on this machine/),
        'NOTIFY_INTERVAL_SECONDS: a whole number of seconds, 5 to 86400',
        expect.stringMatching(/^APP_BASE_URL: where the web application is served/),
      ]),
    );
    for (const seconds of ['2', '86401', `${'9'.repeat(400)}`]) {
      expect(refused({ NOTIFY_INTERVAL_SECONDS: seconds }, 'local')).toEqual([
        'NOTIFY_INTERVAL_SECONDS: a whole number of seconds, 5 to 86400',
      ]);
    }
  });

  it('on AWS, names everything missing at once, and refuses loopback webhooks and SMTP', () => {
    expect(refused({}, 'aws').map((p) => p.split(':')[0])).toEqual([
      'NOTIFY_FROM',
      'APP_BASE_URL',
      'SES_IDENTITY',
      'NOTIFY_LINK_SECRET_ARN',
    ]);
    expect(refused({ ...AWS, WEBHOOKS_ALLOW_LOOPBACK: '1', SMTP_URL: 'smtp://127.0.0.1:25' }, 'aws')).toEqual(
      [
        expect.stringMatching(/^WEBHOOKS_ALLOW_LOOPBACK: refused on AWS/),
        expect.stringMatching(/^SMTP_URL: not used on AWS/),
      ],
    );
    expect(refused({ ...AWS, SES_IDENTITY: 'other.example' }, 'aws')).toEqual([
      'NOTIFY_FROM: ledger@ngo.example is not an address of the SES identity other.example: SES would refuse every email',
    ]);
    expect(refused({ ...AWS, APP_BASE_URL: 'http://ledger.ngo.example/app/' }, 'aws')).toEqual([
      'APP_BASE_URL: https on AWS: the links in emails sign people in',
    ]);
    expect(refused({ ...AWS, NOTIFY_LINK_SECRET: 'x'.repeat(40) }, 'aws')).toEqual([
      expect.stringMatching(/^NOTIFY_LINK_SECRET_ARN: give the link key either/),
    ]);
  });

  it('locally, refuses what only AWS uses', () => {
    expect(
      refused({ SES_IDENTITY: 'ngo.example', WEBHOOK_QUEUE_URL: AWS.WEBHOOK_QUEUE_URL }, 'local'),
    ).toEqual([
      expect.stringMatching(/^SES_IDENTITY: only on AWS/),
      expect.stringMatching(/^WEBHOOK_QUEUE_URL: only on AWS/),
    ]);
  });

  it("is part of npm start's configuration, its problems told with the runtime's in one error", () => {
    expect(loadLocalConfig({ NOTIFY_INTERVAL_SECONDS: '30' }, '/srv/ledger').notify.intervalSeconds).toBe(30);
    expect(
      problemsOf(() =>
        loadLocalConfig({ PORT: 'eighty', NOTIFY_INTERVAL_SECONDS: 'often' }, '/srv/ledger'),
      ).map((p) => p.split(':')[0]),
    ).toEqual(['PORT', 'NOTIFY_INTERVAL_SECONDS']);
  });
});
