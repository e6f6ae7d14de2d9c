import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { visitAt } from './bench-events.ts';
import type { BenchTarget } from './bench-target.ts';

/** Clients of each kind kept busy during the warm-up. */
const WORKERS = 4;
/** Cases each appending client takes turns on: many short cases, not a few long ones, like the families' own. */
const CASES_PER_WORKER = 8;

/**
 * Keeps a fresh system busy for `durationMs`, untimed, before a family measures it: appends and reads through
 * the API (so the projector runs too), and raw puts and reads. DynamoDB Local's JVM compiles its hot code for
 * the first tens of seconds of load, and the compiling takes CPU beside the requests, on the same cores: a
 * family measured cold would carry it in its first figures, the lag family most (its steady loads come first).
 * A local runtime that has been running a while is warm, and so is DynamoDB on AWS.
 */
export async function warmUp(target: BenchTarget, durationMs: number): Promise<void> {
  if (durationMs <= 0) return;
  target.log(`warming up the system for ${Math.round(durationMs / 1000)} s (not measured)`);
  const caseIds = await target.openCases('warm-up', WORKERS * CASES_PER_WORKER);
  const until = Date.now() + durationMs;
  let failures = 0;
  let firstFailure: unknown;
  // A failed request is counted, not thrown: the warm-up only has to keep the system busy.
  const busy = (work: (round: number) => Promise<unknown>) => async () => {
    for (let round = 0; Date.now() < until && !target.signal?.aborted; round++) {
      await work(round).catch((error: unknown) => {
        failures += 1;
        firstFailure ??= error;
      });
    }
  };
  const { documents } = target.clients;
  const workers = Array.from({ length: WORKERS }, (_, worker) => {
    // Each client its own cases, so that no two appends race for one case's next version.
    const caseOf = (round: number) => caseIds[worker + WORKERS * (round % CASES_PER_WORKER)]!;
    const rawKey = (round: number) => ({ streamId: `warm-up-${worker}`, version: round });
    return [
      busy((round) => target.api.append(caseOf(round), [visitAt(new Date(Date.now() - 1000))])),
      busy((round) => target.api.caseView(caseOf(round))),
      busy((round) =>
        documents.send(
          new PutCommand({ TableName: target.raw.items, Item: { ...rawKey(round), data: 'x'.repeat(500) } }),
        ),
      ),
      busy((round) => documents.send(new GetCommand({ TableName: target.raw.items, Key: rawKey(round) }))),
    ];
  });
  await Promise.all(workers.flat().map((worker) => worker()));
  if (failures > 0) {
    const first = firstFailure instanceof Error ? firstFailure.message : String(firstFailure);
    target.log(`  the warm-up saw ${failures} failed requests (first: ${first})`);
  }
  await target.projected();
}
