import { describe, expect, it } from 'vitest';
import { UNBOUND_WARNING } from '../../local/dynamodb-local-launcher.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import type { LocalRuntime } from '../../local/local-runtime.ts';
import { runtimeBanner } from '../../local/runtime-banner.ts';

const config = loadLocalConfig({}, '/srv/ledger');

function runtimeWith(overrides: Partial<LocalRuntime>): LocalRuntime {
  return {
    url: 'http://127.0.0.1:3000',
    webUrl: 'http://127.0.0.1:3000/app/',
    dynamodbEndpoint: 'http://127.0.0.1:41000',
    dynamodbPid: 4242,
    dynamodbWarning: undefined,
    storage: '/srv/ledger/.ledger-data',
    jwtSecret: 'generated-secret-0123456789abcdefghijklmnop',
    jwtSecretGenerated: true,
    projected: async () => undefined,
    mail: { kind: 'folder', folder: '/srv/ledger/.ledger-data/mail' },
    notifyNow: async () => undefined,
    notifierCaughtUp: async () => undefined,
    logDir: '/srv/ledger/.ledger-data/log',
    logCaughtUp: async () => undefined,
    stop: async () => undefined,
    ...overrides,
  };
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the banner of npm start', () => {
  it('says first where the web application is, and nothing of it when it is not served', () => {
    const banner = runtimeBanner(runtimeWith({}), config);
    expect(banner.split('\n')[0]).toBe('Open http://127.0.0.1:3000/app/ in a browser and sign in.');
    expect(runtimeBanner(runtimeWith({ webUrl: undefined }), config)).not.toContain('/app/');
  });

  it('prints a secret it generated once, so tokens can be minted for this run', () => {
    const banner = runtimeBanner(runtimeWith({}), config);
    expect(occurrences(banner, 'generated-secret-0123456789abcdefghijklmnop')).toBe(1);
    expect(banner).toContain('export LEDGER_JWT_SECRET=generated-secret-0123456789abcdefghijklmnop');
  });

  it('never prints a secret the operator set, and says where it comes from instead', () => {
    const supplied = 'operator-secret-kept-across-restarts-0123456789';
    const banner = runtimeBanner(runtimeWith({ jwtSecret: supplied, jwtSecretGenerated: false }), config);
    expect(banner).not.toContain(supplied);
    expect(banner).toContain('with the LEDGER_JWT_SECRET you set, not shown here');
    expect(banner).toContain('npm run --silent token -- viewer');
  });

  it('frames the warning of a DynamoDB Local that listens beyond loopback, and says nothing when it does not', () => {
    const exposed = runtimeBanner(runtimeWith({ dynamodbWarning: UNBOUND_WARNING }), config);
    expect(exposed).toContain('!! WARNING: DynamoDB Local listens on EVERY network interface');
    expect(runtimeBanner(runtimeWith({}), config)).not.toContain('WARNING');
  });

  it('says where the transparency log is kept and served', () => {
    expect(runtimeBanner(runtimeWith({}), config)).toContain(
      'transparency log localhost/detention-ledger: tiles in /srv/ledger/.ledger-data/log, checkpoint at http://127.0.0.1:3000/log/checkpoint',
    );
  });

  it('says where notification emails go: the mail folder to open, or the SMTP server', () => {
    expect(runtimeBanner(runtimeWith({}), config)).toContain(
      'emails written as .eml files to /srv/ledger/.ledger-data/mail (set SMTP_URL to send them); the notifier runs every 60 s',
    );
    expect(
      runtimeBanner(runtimeWith({ mail: { kind: 'smtp', server: '127.0.0.1:1025' } }), config),
    ).toContain('emails to the SMTP server at 127.0.0.1:1025 (SMTP_URL)');
  });
});
