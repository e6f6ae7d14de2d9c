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

/** `curl` commands that show what is in the ledger, to paste into another terminal. */
export function curlExamples(url: string): string[] {
  return [`  curl -s ${url}/health`, `  curl -s ${url}/cases`, `  curl -s ${url}/openapi.json`];
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
    'Try:',
    ...curlExamples(runtime.url),
    `  curl -s -X POST ${runtime.url}/cases -H 'content-type: application/json' \\`,
    `    -d '{"subject":{"name":"Ada Example","nationality":"Examplestan"}}'`,
    '',
    'Ctrl-C stops it.',
  ].join('\n');
}
