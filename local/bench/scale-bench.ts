import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dayOf } from '../../domain/calendar.ts';
import { DIGEST_CHANGE_MARGIN_MS, DigestStore } from '../../functions/store/digest-store.ts';
import { viewOrderIndexes } from '../../functions/tables/view-keys.ts';
import { progressOn } from '../cli/progress.ts';
import { scaleStory, withIds } from './bench-events.ts';
import type { BenchSizes } from './bench-sizes.ts';
import type { BenchTarget } from './bench-target.ts';
import { benchAppendCapacity } from './capacity-bench.ts';
import type { Comparison } from './comparison.ts';
import { summarize, timed } from './measure.ts';
import {
  DIGEST_APPENDS,
  type ScaleQuestionId,
  type ScaleSamples,
  scaleComparisons,
  scaleQuestions,
} from './scale-report.ts';

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
const median = (samples: readonly number[]) => summarize(samples).p50;

/**
 * Appends cases of three events each (`scaleStory`) through the ledger store until there are `total`: the system's
 * own stream poller and projector (in the local runtime) project them, as they project any append; the loader
 * waits for them after each chunk.
 */
async function loadCases(target: BenchTarget, from: number, total: number, loaded: string[]): Promise<void> {
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
          loaded.push(caseId);
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
): Record<Exclude<ScaleQuestionId, DigestQuestionId>, () => Promise<unknown>> {
  return {
    summary: () => target.api.read('/summary'),
    'summary-as-of': () => target.api.read(`/summary?asOf=${pastDay}`),
    series: () => target.api.read('/summary/series'),
    alerts: () => target.api.read('/alerts'),
    'alerts-as-of': () => target.api.read(`/alerts?asOf=${pastDay}`),
    cases: () => target.api.read('/cases'),
  };
}

/** An untimed call, then the median of three (or of one, after a very slow first call). */
async function sample(operation: () => Promise<unknown>): Promise<number[]> {
  const first = await timed(operation);
  const samples: number[] = [];
  for (let i = 0; i < (first > SLOW_CALL_MS ? 1 : SAMPLES); i++) samples.push(await timed(operation));
  return samples;
}

type DigestQuestionId = 'digest-full' | 'digest-incremental';
const isDigestQuestion = (id: ScaleQuestionId): id is DigestQuestionId =>
  id === 'digest-full' || id === 'digest-incremental';

/**
 * The two digests, through the digest store as the digest function runs it (`run`, resumable, in this process
 * over the runtime's tables): a full one, sampled as the questions are; then, once the last load is older than
 * the change margin (so the load's tail is not among the changes), a digest to start from and, three times,
 * `DIGEST_APPENDS` appends to cases picked at random followed by a timed incremental digest.
 */
async function digestSamples(
  target: BenchTarget,
  digests: DigestStore,
  caseIds: readonly string[],
  loadEndedAt: number,
): Promise<{ full: number[]; incremental: number[]; incrementalReads: number[] }> {
  const digest = async (full: boolean) => {
    const result = await digests.run({ at: new Date(), full });
    if (!result.done) throw new Error('a digest run without a time limit stopped before its end');
    return result;
  };
  const full = await sample(() => digest(true));
  const quietFrom = loadEndedAt + DIGEST_CHANGE_MARGIN_MS + 1000;
  if (Date.now() < quietFrom) await sleep(quietFrom - Date.now());
  await digest(false);
  const incremental: number[] = [];
  const incrementalReads: number[] = [];
  for (let i = 0; i < SAMPLES && !target.signal?.aborted; i++) {
    for (let a = 0; a < DIGEST_APPENDS; a++) {
      await target.appendVisits(caseIds[Math.floor(Math.random() * caseIds.length)]!, 1);
    }
    let reads = 0;
    incremental.push(
      await timed(async () => {
        const result = await digest(false);
        if (result.kind !== 'incremental')
          throw new Error(`expected an incremental digest, got ${result.kind}`);
        reads = result.casesRead;
      }),
    );
    incrementalReads.push(reads);
  }
  return { full, incremental, incrementalReads };
}

/**
 * Family 7: scale. Loads 10³, 10⁴ and 10⁵ cases (`--scale-sizes`) of three events each, through the store and the
 * runtime's real projector, and at each size times every question the board asks through the HTTP API, beside a
 * raw `Query` of one page of the views (what `GET /cases` reads from each shard), and a full and an incremental
 * digest (`digestSamples`). Then counts the capacity units of an append and of its projection.
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
  const digests = new DigestStore({ documents: target.clients.documents, ledger: target.ledger });
  const caseIds: string[] = [];
  let loaded = 0;
  for (const cases of [...sizes.scaleCases].sort((a, b) => a - b)) {
    if (target.signal?.aborted) break;
    const began = Date.now();
    await loadCases(target, loaded, cases, caseIds);
    const loadEndedAt = Date.now();
    loaded = cases;
    target.log(
      `scale: ${cases.toLocaleString('en-US')} cases loaded in ${Math.round((Date.now() - began) / 1000)} s`,
    );
    const questions = {} as Record<ScaleQuestionId, number[]>;
    let incrementalReads: number[] = [];
    for (const question of scaleQuestions) {
      if (target.signal?.aborted) break;
      if (isDigestQuestion(question.id)) {
        if (question.id === 'digest-incremental') continue;
        const digested = await digestSamples(target, digests, caseIds, loadEndedAt);
        questions['digest-full'] = digested.full;
        questions['digest-incremental'] = digested.incremental;
        incrementalReads = digested.incrementalReads;
        const perSecond = cases / (median(digested.full) / 1000);
        target.log(
          `scale: full digest at ${cases.toLocaleString('en-US')} cases: ${digested.full.map((ms) => Math.round(ms)).join(', ')} ms ` +
            `(${Math.round(perSecond)} cases/s; at 10^6 cases ${(1e6 / perSecond / 60).toFixed(1)} min, extrapolated); ` +
            `incremental after ${DIGEST_APPENDS} appends: ${digested.incremental.map((ms) => Math.round(ms)).join(', ')} ms, ` +
            `heads read ${incrementalReads.join(', ')}`,
        );
        continue;
      }
      questions[question.id] = await sample(calls[question.id]);
      target.log(
        `scale: ${question.of} at ${cases.toLocaleString('en-US')} cases: ${questions[question.id].map((ms) => Math.round(ms)).join(', ')} ms`,
      );
    }
    if (target.signal?.aborted) break;
    measured.push({ cases, questions, raw: await sample(rawPage), incrementalReads });
  }
  const timedRows = scaleComparisons(measured);
  if (target.signal?.aborted) return timedRows;
  return [...timedRows, ...(await benchAppendCapacity(target))];
}
