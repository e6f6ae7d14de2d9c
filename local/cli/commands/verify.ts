import { type ChainVerification, verifyChain } from '../../../domain/hash-chain.ts';
import { EXIT } from '../cli-errors.ts';
import { type CommandContext, DEFAULT_CONCURRENCY } from '../command-context.ts';
import { counted } from '../counted.ts';
import { forEachConcurrently } from '../run-concurrently.ts';
import { writeText } from '../write-text.ts';

export type VerifyOptions =
  | { readonly caseId: string; readonly json?: boolean }
  | { readonly all: true; readonly json?: boolean; readonly concurrency?: number };

/** A case's chain, recomputed from what the ledger holds now. */
export interface CaseVerification extends ChainVerification {
  readonly caseId: string;
}

export interface VerifyReport {
  readonly exitCode: number;
  /** How many cases were checked; 0 when the one asked for does not exist. */
  readonly cases: number;
  readonly events: number;
  /** The cases whose chain does not hold, by case id. */
  readonly broken: readonly CaseVerification[];
}

async function verifyOne(context: CommandContext, caseId: string): Promise<CaseVerification> {
  return { caseId, ...verifyChain(await context.ledger.readStream(caseId)) };
}

async function verifyCase(context: CommandContext, caseId: string, json: boolean): Promise<VerifyReport> {
  const result = await verifyOne(context, caseId);
  if (result.events === 0) {
    // A missing case is a failure, so its sentence goes to stderr (README, exit codes); with --json the report
    // itself is the result a script reads, so it stays on stdout.
    if (json)
      await writeText(
        context.stdout,
        `${JSON.stringify({ caseId, ok: false, events: 0, error: 'not_found' })}\n`,
      );
    else await writeText(context.stderr, `${caseId}: no such case in the ledger\n`);
    return { exitCode: EXIT.failed, cases: 0, events: 0, broken: [] };
  }
  const line = json
    ? JSON.stringify(result)
    : result.ok
      ? `${caseId}: the chain holds: ${counted(result.events, 'event')}, head ${result.headHash}`
      : `${caseId}: BROKEN at version ${result.brokenAt} (${counted(result.events, 'event')} read)`;
  await writeText(context.stdout, `${line}\n`);
  return {
    exitCode: result.ok ? EXIT.ok : EXIT.failed,
    cases: 1,
    events: result.events,
    broken: result.ok ? [] : [result],
  };
}

async function verifyAll(context: CommandContext, json: boolean, concurrency: number): Promise<VerifyReport> {
  const progress = context.progress({ label: 'verified', unit: 'cases' });
  const broken: CaseVerification[] = [];
  let cases = 0;
  let events = 0;
  try {
    await forEachConcurrently(
      context.ledger.caseIds(),
      concurrency,
      async (caseId) => {
        const result = await verifyOne(context, caseId);
        cases += 1;
        events += result.events;
        if (!result.ok) broken.push(result);
        progress.tick();
      },
      context.signal,
    );
  } finally {
    progress.done();
  }
  broken.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const ok = broken.length === 0;
  const text = json
    ? `${JSON.stringify({
        ok,
        cases,
        events,
        broken: broken.map(({ caseId, brokenAt, events: read }) => ({ caseId, brokenAt, events: read })),
      })}\n`
    : ok
      ? `Verified ${counted(cases, 'case')}, ${counted(events, 'event')}: every chain holds.\n`
      : [
          `Verified ${counted(cases, 'case')}, ${counted(events, 'event')}: ${broken.length} broken.`,
          ...broken.map((result) => `  ${result.caseId}: broken at version ${result.brokenAt}`),
          '',
        ].join('\n');
  await writeText(context.stdout, text);
  return { exitCode: ok ? EXIT.ok : EXIT.failed, cases, events, broken };
}

/**
 * `ledger verify CASE_ID | --all`: recomputes hash chains from what the ledger table holds now,
 * so an item edited or removed behind the application shows as the first version that no longer holds.
 */
export async function runVerify(context: CommandContext, options: VerifyOptions): Promise<VerifyReport> {
  if ('caseId' in options) return verifyCase(context, options.caseId, options.json ?? false);
  return verifyAll(context, options.json ?? false, options.concurrency ?? DEFAULT_CONCURRENCY);
}
