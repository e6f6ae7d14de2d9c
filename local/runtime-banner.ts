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

/** How to get a token: every route but /health and /openapi.json needs one (issue 6). */
export function tokenLines(runtime: LocalRuntime): string[] {
  if (runtime.jwtSecret === undefined) return [];
  const secret = `LEDGER_JWT_SECRET=${runtime.jwtSecret}`;
  return [
    'Every route but /health needs a bearer token. Mint one (valid 8 hours) per role:',
    ...(runtime.jwtSecretGenerated
      ? [
          '  (the secret was generated for this run; set LEDGER_JWT_SECRET yourself to keep tokens across restarts)',
        ]
      : []),
    `  export ${secret}`,
    '  export TOKEN=$(npm run --silent token -- viewer)             # status views, summaries, alerts',
    '  export TOKEN=$(npm run --silent token -- recorder)           # open cases, append events',
    '  export TOKEN=$(npm run --silent token -- auditor)            # histories, audit feed, proofs, knownAt',
    '  export TOKEN=$(npm run --silent token -- admin)              # everything',
    '  (add --pii to see personal data in clear; several roles at once: -- viewer auditor)',
    '',
  ];
}

/**
 * What `npm start` prints once everything is up: where the API is, where the data lives, how to try it. The
 * first line's shape (`… running at <url>`) is what scripts and the end-to-end test wait for.
 */
export function runtimeBanner(runtime: LocalRuntime, config: LocalConfig): string {
  return [
    `detention-ledger is running at ${runtime.url}`,
    storageLine(runtime),
    `  tables: ${config.tables.ledger} and ${config.tables.views}; the projector follows the stream of ${config.tables.ledger}`,
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
