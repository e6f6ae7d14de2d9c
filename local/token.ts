/**
 * `npm run token -- ROLE… [--pii] [--sub NAME] [--hours N]`: mints a bearer token the local API accepts,
 * signed with LEDGER_JWT_SECRET (the one `npm start` prints or was given). Prints only the token, so that
 * `export TOKEN=$(npm run --silent token -- viewer)` works.
 */
import { parseArgs } from 'node:util';
import { type Role, roles } from '../functions/api/auth/principal.ts';
import { mintToken } from './tokens.ts';

const HELP = `Usage: npm run --silent token -- ROLE... [--pii] [--sub NAME] [--hours N]

Mints a bearer token for the local API, signed with LEDGER_JWT_SECRET (printed by npm start).
  ROLE        one or more of: ${roles.join(', ')}
  --pii       also the pii scope: personal data in clear
  --sub NAME  who the token speaks for, recorded as recordedBy (default: local-user)
  --hours N   lifetime in hours, 1 to 24 (default 8); the API refuses longer-lived tokens

Example:
  export LEDGER_JWT_SECRET=...   # from npm start's banner
  export TOKEN=$(npm run --silent token -- viewer auditor)
  curl -s -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/cases`;

function fail(message: string): never {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        pii: { type: 'boolean', default: false },
        sub: { type: 'string', default: 'local-user' },
        hours: { type: 'string', default: '8' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  if (parsed.values.help) {
    console.log(HELP);
    return;
  }
  const secret = process.env.LEDGER_JWT_SECRET;
  if (!secret || secret.length < 32) fail('LEDGER_JWT_SECRET is not set (or shorter than 32 characters).');
  const wanted = parsed.positionals;
  const unknown = wanted.filter((role) => !(roles as readonly string[]).includes(role));
  if (wanted.length === 0 || unknown.length > 0) {
    fail(wanted.length === 0 ? 'Name at least one role.' : `Unknown role: ${unknown.join(', ')}.`);
  }
  const hours = Number(parsed.values.hours);
  if (!Number.isInteger(hours) || hours < 1 || hours > 24)
    fail('--hours must be a whole number from 1 to 24: the API refuses a token that lives longer.');
  const subject = String(parsed.values.sub);
  if (subject.length === 0 || subject.length > 256) fail('--sub must be 1 to 256 characters.');
  console.log(
    await mintToken({
      secret,
      subject,
      roles: wanted as Role[],
      pii: parsed.values.pii === true,
      ttlSeconds: hours * 3600,
    }),
  );
}

await main();
