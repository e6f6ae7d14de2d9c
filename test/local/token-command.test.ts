import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { verify } from 'hono/jwt';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const secret = 'token-command-secret-long-enough-0123456789';

function token(args: string[], env: Record<string, string> = { LEDGER_JWT_SECRET: secret }) {
  const { LEDGER_JWT_SECRET: _, ...rest } = process.env;
  return spawnSync(tsx, ['local/token.ts', ...args], {
    cwd: root,
    env: { ...rest, ...env },
    encoding: 'utf8',
  });
}

describe('npm run token', () => {
  it('mints a token with the roles, the subject and the pii scope asked for, and nothing else on stdout', async () => {
    const run = token(['viewer', 'auditor', '--pii', '--sub', 'desk-3', '--hours', '2']);
    expect(run.status, run.stderr).toBe(0);
    const claims = await verify(run.stdout.trim(), secret, 'HS256');
    expect(claims).toMatchObject({ sub: 'desk-3', 'cognito:groups': ['viewer', 'auditor'], scope: 'pii' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(7200);
  });

  it.each([
    [['viewer'], {}, 'LEDGER_JWT_SECRET'],
    [[], { LEDGER_JWT_SECRET: secret }, 'at least one role'],
    [['root'], { LEDGER_JWT_SECRET: secret }, 'Unknown role: root'],
    [['viewer', '--hours', '0'], { LEDGER_JWT_SECRET: secret }, '--hours'],
    [['viewer', '--hours', '25'], { LEDGER_JWT_SECRET: secret }, 'from 1 to 24'],
    [['viewer', '--bogus'], { LEDGER_JWT_SECRET: secret }, 'bogus'],
  ])('%j is refused with exit 2 and says why', (args, env, message) => {
    const run = token(args, env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});
