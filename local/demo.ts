/**
 * `npm run demo`: the local runtime in memory, loaded with an invented group of cases through the HTTP API,
 * then left running to explore until Ctrl-C.
 */
import './sdk-node-notice.ts';
import { DEMO_GROUP_ID } from './demo-data.ts';
import { DemoRequestRefusedError, loadDemoData } from './load-demo-data.ts';
import { loadLocalConfig } from './local-config.ts';
import { type LocalRuntime, startLocalRuntime } from './local-runtime.ts';
import { CURL, curlExamples, exposureLines, tokenLines } from './runtime-banner.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import { mintToken } from './tokens.ts';
import { isUserFacingError } from './user-facing-errors.ts';

function demoBanner(runtime: LocalRuntime, loaded: { cases: number; requests: number }): string {
  const url = runtime.url;
  return [
    `detention-ledger demo is running at ${url}`,
    `  ${loaded.cases} invented cases in group ${DEMO_GROUP_ID}, loaded with ${loaded.requests} API requests.`,
    `  DynamoDB Local: ${runtime.dynamodbEndpoint} (pid ${runtime.dynamodbPid}), data in memory only: it is gone when this stops`,
    ...exposureLines(runtime),
    '',
    ...tokenLines(runtime),
    'Look at the data (with a viewer and auditor token: -- viewer auditor):',
    ...curlExamples(url),
    `  ${CURL} '${url}/cases?groupId=${DEMO_GROUP_ID}'`,
    `  ${CURL} '${url}/summary?groupId=${DEMO_GROUP_ID}'`,
    `  ${CURL} '${url}/alerts?groupId=${DEMO_GROUP_ID}'`,
    `  ${CURL} ${url}/cases/demo-ada-example                      # consular visits, custody extended`,
    `  ${CURL} ${url}/cases/demo-bram-placeholder                 # released in October, recorded late`,
    `  ${CURL} '${url}/cases/demo-bram-placeholder?asOf=2025-10-01'  # as things stood on 1 October`,
    `  ${CURL} ${url}/cases/demo-cora-sample                      # released "2025-10?": an uncertain date`,
    `  ${CURL} ${url}/cases/demo-eli-fictional/events             # the full history, with hashes`,
    '',
    'Ctrl-C stops it.',
  ].join('\n');
}

async function main(): Promise<void> {
  // Always a throwaway DynamoDB Local in memory: the demo must never write into real data.
  const config = loadLocalConfig({ ...process.env, LEDGER_IN_MEMORY: '1', DYNAMODB_ENDPOINT: undefined });
  const runtime = await startLocalRuntime(config);
  stopOnSignals(() => runtime.stop());
  try {
    const token = await mintToken({
      secret: runtime.jwtSecret!,
      subject: 'demo-loader',
      roles: ['recorder'],
    });
    const loaded = await loadDemoData(runtime.url, token);
    await runtime.projected();
    console.log(demoBanner(runtime, loaded));
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(isUserFacingError(error) || error instanceof DemoRequestRefusedError ? error.message : error);
  process.exit(1);
});
