/**
 * `npm run demo`: the local runtime in memory, loaded with an invented group of cases through the API, then
 * left running to explore until Ctrl-C. Its port opens only once the data is loaded and projected, so the
 * first answer of `/health` means the demo is ready.
 */
import './sdk-node-notice.ts';
import { DEMO_GROUP_ID, type DemoData, demoData } from './demo-data.ts';
import { DemoRequestRefusedError, loadDemoData } from './load-demo-data.ts';
import { type LocalConfig, loadLocalConfig } from './local-config.ts';
import { type LocalRuntime, startLocalRuntime } from './local-runtime.ts';
import { CURL, curlExamples, exposureLines, mailLines, tokenLines, webLines } from './runtime-banner.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import { mintToken } from './tokens.ts';
import { isUserFacingError } from './user-facing-errors.ts';

const DAY_MS = 86_400_000;

function demoBanner(
  runtime: LocalRuntime,
  config: LocalConfig,
  loaded: { cases: number; requests: number },
  today: Date,
): string {
  const url = runtime.url;
  // Two months ago: before demo-c02's release, which was recorded weeks after it happened.
  const beforeRelease = new Date(today.getTime() - 60 * DAY_MS).toISOString().slice(0, 10);
  return [
    ...webLines(runtime),
    `detention-ledger demo is running at ${url}`,
    `  ${loaded.cases} invented cases in group ${DEMO_GROUP_ID}, loaded with ${loaded.requests} API requests.`,
    `  DynamoDB Local: ${runtime.dynamodbEndpoint} (pid ${runtime.dynamodbPid}), data in memory only: it is gone when this stops`,
    ...exposureLines(runtime),
    ...mailLines(runtime, config),
    '',
    ...tokenLines(runtime),
    'Look at the data (with a viewer and auditor token: -- viewer auditor):',
    ...curlExamples(url),
    `  ${CURL} '${url}/cases?groupId=${DEMO_GROUP_ID}'`,
    `  ${CURL} '${url}/summary?groupId=${DEMO_GROUP_ID}'`,
    `  ${CURL} '${url}/alerts?groupId=${DEMO_GROUP_ID}'`,
    `  ${CURL} ${url}/cases/demo-c01                       # consular visits, custody extended to end soon`,
    `  ${CURL} ${url}/cases/demo-c02                       # released two months ago, recorded weeks later`,
    `  ${CURL} '${url}/cases/demo-c02?asOf=${beforeRelease}'    # as things stood before the release`,
    `  ${CURL} ${url}/cases/demo-c03                       # released in a month known only roughly: "YYYY-MM?"`,
    `  ${CURL} ${url}/cases/demo-c05/events                # the full history, with hashes`,
    '',
    'Ctrl-C stops it.',
  ].join('\n');
}

async function main(): Promise<void> {
  // Always a throwaway DynamoDB Local in memory: the demo must never write into real data.
  const config = loadLocalConfig({ ...process.env, LEDGER_IN_MEMORY: '1', DYNAMODB_ENDPOINT: undefined });
  const today = new Date();
  const data: DemoData = demoData(today);
  let loaded = { cases: 0, requests: 0 };
  const runtime = await startLocalRuntime(config, {
    async beforeListening({ fetch, jwtSecret, projected }) {
      const token = await mintToken({ secret: jwtSecret!, subject: 'demo-loader', roles: ['recorder'] });
      loaded = await loadDemoData({ baseUrl: 'http://demo.localhost', fetch }, token, data);
      await projected();
    },
  });
  stopOnSignals(() => runtime.stop());
  console.log(demoBanner(runtime, config, loaded, today));
}

main().catch((error: unknown) => {
  console.error(isUserFacingError(error) || error instanceof DemoRequestRefusedError ? error.message : error);
  process.exit(1);
});
