import type { LocalConfig } from './local-config.ts';
import type { LocalRuntime } from './local-runtime.ts';

function storageLine(runtime: LocalRuntime): string {
  if (runtime.dynamodbPid === undefined)
    return `  DynamoDB: ${runtime.dynamodbEndpoint} (from DYNAMODB_ENDPOINT)`;
  const where =
    runtime.storage === 'memory'
      ? 'data in memory only: it is gone when this stops'
      : `data in ${runtime.storage}`;
  return `  DynamoDB Local: ${runtime.dynamodbEndpoint} (pid ${runtime.dynamodbPid}), ${where}`;
}

const BEARER = '-H "authorization: Bearer $TOKEN"';

/** `curl` commands that show what is in the ledger, to paste into another terminal (after `export TOKEN=…`). */
export function curlExamples(url: string): string[] {
  return [`  curl -s ${url}/health`, `  curl -s ${BEARER} ${url}/cases`, `  curl -s ${url}/openapi.json`];
}

/** `curl -s` with the bearer header, for the banners' other examples. */
export const CURL = `curl -s ${BEARER}`;

/**
 * How to get a token: every route but /health and /openapi.json needs one. A secret this run generated is
 * printed here, once, since nobody else knows it; a secret the operator set is never printed — it may be one
 * they keep across restarts or share with others, and a terminal's scrollback or a CI log is no place for it.
 */
export function tokenLines(runtime: LocalRuntime): string[] {
  if (runtime.jwtSecret === undefined) return [];
  return [
    'Every route but /health needs a bearer token. Mint one (valid 8 hours) per role:',
    ...(runtime.jwtSecretGenerated
      ? [
          '  (the secret was generated for this run; set LEDGER_JWT_SECRET yourself to keep tokens across restarts)',
          `  export LEDGER_JWT_SECRET=${runtime.jwtSecret}`,
        ]
      : ['  (with the LEDGER_JWT_SECRET you set, not shown here: export it in the shell you mint from)']),
    '  export TOKEN=$(npm run --silent token -- viewer)             # status views, summaries, alerts',
    '  export TOKEN=$(npm run --silent token -- recorder)           # open cases, append events',
    '  export TOKEN=$(npm run --silent token -- auditor)            # histories, audit feed, proofs, knownAt',
    '  export TOKEN=$(npm run --silent token -- admin)              # everything',
    '  (add --pii to see personal data in clear; several roles at once: -- viewer auditor)',
    '',
  ];
}

/** The unbound-database warning, framed so it cannot be scrolled past unseen; nothing when bound to loopback. */
export function exposureLines(runtime: LocalRuntime): string[] {
  if (runtime.dynamodbWarning === undefined) return [];
  const rule = '!'.repeat(100);
  return ['', rule, ...runtime.dynamodbWarning.split('\n').map((line) => `!! ${line}`), rule, ''];
}

/** The first thing to read: where the web application is. Nothing with `LEDGER_WEB=off`. */
export function webLines(runtime: LocalRuntime): string[] {
  if (runtime.webUrl === undefined) return [];
  return [`Open ${runtime.webUrl} in a browser and sign in.`, ''];
}

/** Where a person trying notifications finds their mail. */
export function mailLines(runtime: LocalRuntime, config: LocalConfig): string[] {
  const every = `the notifier runs every ${config.notify.intervalSeconds} s`;
  return runtime.mail.kind === 'smtp'
    ? [`  notifications: emails to the SMTP server at ${runtime.mail.server} (SMTP_URL); ${every}`]
    : [
        `  notifications: emails written as .eml files to ${runtime.mail.folder} (set SMTP_URL to send them); ${every}`,
      ];
}

export function runtimeBanner(runtime: LocalRuntime, config: LocalConfig): string {
  return [
    ...webLines(runtime),
    `detention-ledger is running at ${runtime.url}`,
    storageLine(runtime),
    ...exposureLines(runtime),
    `  tables: ${config.tables.ledger} and ${config.tables.views}; the projector follows the stream of ${config.tables.ledger}`,
    ...mailLines(runtime, config),
    `  transparency log ${config.log.origin}: tiles in ${runtime.logDir}, checkpoint at ${runtime.url}/log/checkpoint`,
    '',
    ...tokenLines(runtime),
    'Try:',
    ...curlExamples(runtime.url),
    `  ${CURL} -X POST ${runtime.url}/cases -H 'content-type: application/json' \\`,
    `    -d '{"subject":{"name":"Ada Example","nationality":"Examplestan"}}'`,
    '',
    'Ctrl-C stops it.',
  ].join('\n');
}
