import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dayOf } from '../../domain/calendar.ts';
import { viewOrderIndexes } from '../../functions/tables/view-keys.ts';
import { progressOn } from '../cli/progress.ts';
import { scaleStory, withIds } from './bench-events.ts';
import type { BenchSizes } from './bench-sizes.ts';
import type { BenchTarget } from './bench-target.ts';
import { benchAppendCapacity } from './capacity-bench.ts';
import type { Comparison } from './comparison.ts';
import { timed } from './measure.ts';
import { type ScaleQuestionId, type ScaleSamples, scaleComparisons, scaleQuestions } from './scale-report.ts';

/** Cases appended at once while loading: the runtime's projector keeps up with this on two cores. */
const LOAD_CONCURRENCY = 8;
/** Cases appended between waits for the projector, so the views are never far behind and the wait is cheap. */
const LOAD_CHUNK = 500;
/**
 * A question whose untimed first call took longer than this is timed once, not three times: at the largest
 * sizes the slowest questions take minutes, and one more sample of a figure that large changes nothing.
 */
const SLOW_CALL_MS = 20_000;
const SAMPLES = 3;

/**
 * Appends cases of three events each (`scaleStory`) through the ledger store until there are `total`: the system's
 * own stream poller and projector (in the local runtime) project them, as they project any append; the loader
 * waits for them after each chunk.
 */
async function loadCases(target: BenchTarget, from: number, total: number): Promise<void> {
  const progress = progressOn(process.stderr, { every: 5000 })({
    label: `scale: loading to ${total.toLocaleString('en-US')}`,
    unit: 'cases',
    total: total - from,
  });
  try {
    for (let start = from; start < total && !target.signal?.aborted; start += LOAD_CHUNK) {
      const end = Math.min(total, start + LOAD_CHUNK);
      let next = start;
      const worker = async () => {
        while (next < end) {
          const index = next++;
          const caseId = `scale-${index}-${randomUUID().slice(0, 8)}`;
          const { version } = await target.ledger.append({
            caseId,
            events: withIds(scaleStory(index)),
            expected: 'no_stream',
            recordedBy: 'bench',
          });
          target.projection.note(caseId, version);
          progress.tick();
        }
      };
      await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
      await target.projected();
    }
  } finally {
    progress.done();
  }
}

/** The call each question makes, through the runtime's HTTP API. */
function questionCalls(
  target: BenchTarget,
  pastDay: string,
): Record<ScaleQuestionId, () => Promise<unknown>> {
  return {
    summary: () => target.api.read('/summary'),
    'summary-as-of': () => target.api.read(`/summary?asOf=${pastDay}`),
    series: () => target.api.read('/summary/series'),
    alerts: () => target.api.read('/alerts'),
    'alerts-as-of': () => target.api.read(`/alerts?asOf=${pastDay}`),
    cases: () => target.api.read('/cases'),
    digest: () => target.api.takeDigest(),
  };
}

/** An untimed call, then the median of three (or of one, after a very slow first call). */
async function sample(operation: () => Promise<unknown>): Promise<number[]> {
  const first = await timed(operation);
  const samples: number[] = [];
  for (let i = 0; i < (first > SLOW_CALL_MS ? 1 : SAMPLES); i++) samples.push(await timed(operation));
  return samples;
}

/**
 * Family 7: scale. Loads 10³, 10⁴ and 10⁵ cases (`--scale-sizes`) of three events each, through the store and the
 * runtime's real projector, and at each size times every question the board asks through the HTTP API, beside a
 * raw `Query` of one page of the views (what `GET /cases` reads from each shard). Then counts the capacity units
 * of an append and of its projection.
 */
export async function benchScale(target: BenchTarget, sizes: BenchSizes): Promise<Comparison[]> {
  const measured: ScaleSamples[] = [];
  // A day in the past inside every case's story: detained a month ago, visited on one of the days since.
  const pastDay = dayOf(Date.now() - 15 * 86_400_000);
  const calls = questionCalls(target, pastDay);
  const rawPage = () =>
    target.clients.documents.send(
      new QueryCommand({
        TableName: target.tables.views,
        IndexName: viewOrderIndexes.byAll.indexName,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': viewOrderIndexes.byAll.keyName },
        ExpressionAttributeValues: { ':k': viewOrderIndexes.byAll.partition(0) },
        Limit: 50,
      }),
    );
  let loaded = 0;
  for (const cases of [...sizes.scaleCases].sort((a, b) => a - b)) {
    if (target.signal?.aborted) break;
    const began = Date.now();
    await loadCases(target, loaded, cases);
    loaded = cases;
    target.log(
      `scale: ${cases.toLocaleString('en-US')} cases loaded in ${Math.round((Date.now() - began) / 1000)} s`,
    );
    const questions = {} as Record<ScaleQuestionId, number[]>;
    for (const question of scaleQuestions) {
      if (target.signal?.aborted) break;
      questions[question.id] = await sample(calls[question.id]);
      target.log(
        `scale: ${question.of} at ${cases.toLocaleString('en-US')} cases: ${questions[question.id].map((ms) => Math.round(ms)).join(', ')} ms`,
      );
    }
    if (target.signal?.aborted) break;
    measured.push({ cases, questions, raw: await sample(rawPage) });
  }
  const timedRows = scaleComparisons(measured);
  if (target.signal?.aborted) return timedRows;
  return [...timedRows, ...(await benchAppendCapacity(target))];
}
