import { describe, expect, it } from 'vitest';
import { formatVerifierKey, SIGNATURE_TYPE } from '../../domain/log/verifier-key.ts';
import { ConfigurationError, loadRuntimeConfig } from '../../functions/config.ts';
import { loadLocalConfig } from '../../local/local-config.ts';

/** The log's configuration: its origin, its witnesses, and where its tiles and key live locally. */
const witnessKey = formatVerifierKey(
  'witness.example/w1',
  SIGNATURE_TYPE.cosignatureV1,
  new Uint8Array(32).fill(7),
);
const logKey = formatVerifierKey('other.example/log', SIGNATURE_TYPE.ed25519, new Uint8Array(32).fill(9));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadRuntimeConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('the log configuration', () => {
  it('names the log localhost/detention-ledger by default, with no witness', () => {
    expect(loadRuntimeConfig({}).log).toEqual({ origin: 'localhost/detention-ledger', witnesses: [] });
    expect(loadRuntimeConfig({ LOG_ORIGIN: 'ledger.example.org/log' }).log.origin).toBe(
      'ledger.example.org/log',
    );
  });

  it('refuses an origin with a space, a plus, a control character, or over 255 characters', () => {
    for (const origin of ['ledger example', 'ledger+log', 'ledger\u0007log', 'x'.repeat(256)]) {
      expect(problemsOf({ LOG_ORIGIN: origin }), origin).toEqual([
        'LOG_ORIGIN: a log origin: 1 to 255 characters, no spaces, no +, no control characters',
      ]);
    }
    expect(problemsOf({ LOG_ORIGIN: 'x'.repeat(255) })).toEqual([]);
  });

  it('reads witnesses as <verifier key> <url> pairs separated by ;', () => {
    const url = 'https://witness.example/w1';
    expect(loadRuntimeConfig({ LOG_WITNESSES: `${witnessKey} ${url}/;` }).log.witnesses).toEqual([
      { verifierKey: witnessKey, url },
    ]);
    expect(
      loadRuntimeConfig({ LOG_WITNESSES: `${witnessKey} http://127.0.0.1:4100` }).log.witnesses,
    ).toHaveLength(1);
  });

  it('refuses, strictly, every pair that is off, naming why', () => {
    const cases: Array<[string, RegExp]> = [
      [witnessKey, /is not "<verifier key> <url>"/],
      [`${witnessKey}  https://w.example`, /is not "<verifier key> <url>"/],
      [`${logKey} https://w.example`, /cosignature\/v1/],
      [`not-a-key https://w.example`, /not a verifier key/],
      [`${witnessKey} ftp://w.example`, /https/],
      [`${witnessKey} http://w.example`, /https/],
      [`${witnessKey} https://user:pw@w.example`, /credentials/],
      [`${witnessKey} https://w.example/?q=1`, /query/],
      [`${witnessKey} nonsense`, /is not a URL/],
      [`${witnessKey} https://a.example;${witnessKey} https://b.example`, /named twice/],
      [Array.from({ length: 21 }, (_, i) => `${witnessKey} https://w${i}.example`).join(';'), /at most 20/],
    ];
    for (const [value, problem] of cases) {
      const problems = problemsOf({ LOG_WITNESSES: value });
      expect(problems.length, value.slice(0, 60)).toBeGreaterThan(0);
      expect(problems.join('\n')).toMatch(/^LOG_WITNESSES: /);
      expect(problems.join('\n'), value.slice(0, 60)).toMatch(problem);
    }
  });

  it('keeps the tiles in <data dir>/log and the key outside it unless told, and nothing on disk in memory', () => {
    const onDisk = loadLocalConfig({}, '/srv/ledger');
    expect(onDisk.logDir).toBe('/srv/ledger/.ledger-data/log');
    expect(onDisk.logKeyFile).toBeUndefined();
    const told = loadLocalConfig({ LOG_DIR: 'tiles', LOG_KEY_FILE: '/keys/log.pem' }, '/srv/ledger');
    expect(told.logDir).toBe('/srv/ledger/tiles');
    expect(told.logKeyFile).toBe('/keys/log.pem');
    expect(loadLocalConfig({ LEDGER_IN_MEMORY: '1' }).logDir).toBeUndefined();
  });
});
