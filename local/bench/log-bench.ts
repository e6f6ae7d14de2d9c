import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { LogStore, MAX_LEAVES_PER_COMMIT } from '../../functions/log/log-store.ts';
import { visitAt } from './bench-events.ts';
import type { BenchSizes } from './bench-sizes.ts';
import type { BenchTarget } from './bench-target.ts';
import type { Comparison } from './comparison.ts';
import { type LogFigures, logComparisons } from './log-report.ts';
import { steadyLoad, summarize } from './measure.ts';

/** How long to wait, after the load, for the last events to be published before counting them as never seen. */
const DRAIN_MS = 60_000;
/** How often the watcher reads the log's state: the resolution of the lag. */
const WATCH_POLL_MS = 20;

interface Pending {
  readonly answeredAt: number;
  index?: number;
}

/**
 * Watches the log table for the events it is told of: each one's index once the log gives it one, and the
 * moment a published checkpoint first covers that index. The lag is from the append's answer to then.
 */
class PublicationWatcher {
  readonly #store: LogStore;
  readonly #pending = new Map<string, Pending>();
  readonly lags: number[] = [];
  #running: Promise<void> | undefined;
  #stopped = false;
  firstPublishedAt: number | undefined;
  lastPublishedAt: number | undefined;

  constructor(store: LogStore) {
    this.#store = store;
  }

  expect(eventId: string, answeredAt: number) {
    this.#pending.set(eventId, { answeredAt });
  }

  get pending() {
    return this.#pending.size;
  }

  start() {
    this.#running = (async () => {
      while (!this.#stopped) {
        await this.#look();
        await sleep(WATCH_POLL_MS);
      }
    })();
  }

  async #look() {
    const state = await this.#store.state();
    const published = state.checkpoint?.size ?? 0;
    const now = performance.now();
    const unknown = [...this.#pending].filter(([, p]) => p.index === undefined).map(([id]) => id);
    if (unknown.length > 0) {
      for (const [eventId, index] of await this.#store.indexesOf(unknown)) {
        this.#pending.get(eventId)!.index = index;
      }
    }
    for (const [eventId, pending] of this.#pending) {
      if (pending.index !== undefined && pending.index < published) {
        this.lags.push(now - pending.answeredAt);
        this.#pending.delete(eventId);
        this.firstPublishedAt ??= now;
        this.lastPublishedAt = now;
      }
    }
  }

  async drain(timeoutMs: number, signal?: AbortSignal): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.size > 0 && Date.now() < deadline && !signal?.aborted) await sleep(WATCH_POLL_MS);
    return this.#pending.size;
  }

  async stop() {
    this.#stopped = true;
    await this.#running;
  }
}

/** The raw floor: one `TransactWriteItems` as an integration step writes it (the state and two items an event). */
async function rawStep(target: BenchTarget, run: string, step: number, events: number): Promise<number> {
  const streamId = `raw-log-${run}`;
  const started = performance.now();
  await target.clients.documents.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: target.raw.ledgerLike,
            Key: { streamId: `${streamId}-state`, version: 0 },
            UpdateExpression: 'SET revision = :next',
            ConditionExpression: 'attribute_not_exists(revision) OR revision = :now',
            ExpressionAttributeValues: { ':next': step + 1, ':now': step },
          },
        },
        ...Array.from({ length: events * 2 }, (_, i) => ({
          Put: {
            TableName: target.raw.ledgerLike,
            Item: { streamId, version: step * 1000 + i, hash: randomUUID() },
            ConditionExpression: 'attribute_not_exists(streamId)',
          },
        })),
      ],
    }),
  );
  return performance.now() - started;
}

type LogRun = LogFigures['run'];

/**
 * The log family: events appended through the HTTP API at a steady rate, one each, to a few cases; for each, the
 * time from the append's answer until a published checkpoint covers its index (the live feed's lag: a poll of
 * the stream, a step, tiles and a signature), and how many events a second the log took in. Beside it, raw
 * `TransactWriteItems` of one full integration step (the state and 49 events' two items) in the same run: the
 * floor of the step's own write.
 */
export async function benchLog(target: BenchTarget, sizes: BenchSizes): Promise<Comparison[]> {
  const store = new LogStore({ documents: target.clients.documents, tableName: target.tables.log });
  const caseIds = await target.openCases('log', 10);
  target.log(`log: ${sizes.logEvents} appends at ${sizes.logRate}/s through the API, each until published`);
  const run = await publicationRun(target, store, caseIds, sizes.logEvents, sizes.logRate);
  target.log(
    `log: ${sizes.logEvents} appends at up to ${sizes.logBurstRate}/s, to find what the log keeps up with`,
  );
  // Spread over more cases, so the burst meets the log's limit rather than one case's appends queueing.
  const burstCases = await target.openCases('log-burst', 60);
  const burst = await publicationRun(target, store, burstCases, sizes.logEvents, sizes.logBurstRate);

  target.log(`log: ${sizes.logRawSteps} raw TransactWriteItems of ${MAX_LEAVES_PER_COMMIT} events each`);
  const runId = Date.now().toString(36);
  const raw: number[] = [];
  for (let step = 0; step < sizes.logRawSteps && !target.signal?.aborted; step++) {
    raw.push(await rawStep(target, runId, step, MAX_LEAVES_PER_COMMIT));
  }
  return logComparisons({
    events: sizes.logEvents,
    perSecond: sizes.logRate,
    run,
    burstPerSecond: sizes.logBurstRate,
    burst,
    raw: summarize(raw),
    rawEvents: MAX_LEAVES_PER_COMMIT,
  });
}

/** `events` appends through the API at `perSecond`, one event each, each watched until published. */
async function publicationRun(
  target: BenchTarget,
  store: LogStore,
  caseIds: readonly string[],
  events: number,
  perSecond: number,
): Promise<LogRun> {
  const watcher = new PublicationWatcher(store);
  watcher.start();
  try {
    const started = performance.now();
    const load = await steadyLoad(
      async (index) => {
        const eventId = randomUUID();
        await target.api.append(caseIds[index % caseIds.length]!, [
          { ...visitAt(new Date(Date.now() - 1000)), eventId },
        ]);
        watcher.expect(eventId, performance.now());
      },
      {
        perSecond,
        durationMs: (events / perSecond) * 1000,
        maxInFlight: 64,
        ...(target.signal && { signal: target.signal }),
      },
    );
    const unseen = await watcher.drain(DRAIN_MS, target.signal);
    const seconds = ((watcher.lastPublishedAt ?? performance.now()) - started) / 1000;
    if (unseen > 0 || load.errors > 0) {
      target.log(
        `  log: ${unseen} never published, ${load.errors} appends failed (${load.firstError ?? 'none'})`,
      );
    }
    return { lag: summarize(watcher.lags), eventsPerSecond: watcher.lags.length / seconds, unseen, load };
  } finally {
    await watcher.stop();
  }
}
