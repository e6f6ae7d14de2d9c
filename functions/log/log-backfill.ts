import type { AuditReads } from '../api/app-env.ts';
import type { LogIntegrator } from './integrator.ts';
import type { LogStore } from './log-store.ts';

export interface BackfillOptions {
  readonly audit: AuditReads;
  readonly store: LogStore;
  readonly integrator: Pick<LogIntegrator, 'integrate'>;
  readonly clock: () => Date;
  /** Events read and integrated per round (default 245: five transactions). */
  readonly pageSize?: number;
  /** Told after each round how many events it read. */
  readonly onProgress?: (read: number, integrated: number) => void;
  /** Asked before each round; true stops the backfill there (it resumes from the same place). */
  readonly stopRequested?: () => boolean;
}

export interface BackfillResult {
  readonly read: number;
  readonly integrated: number;
  /** The size of the newest checkpoint after the backfill. */
  readonly size: number;
  readonly stopped: boolean;
}

/**
 * The backfill (docs/log.md): every event of the audit feed, from the beginning in recorded order, offered to
 * the log, which takes in those it lacks. This is how the events a ledger held before the log existed, and
 * any whose stream record the live feed missed, get their indexes. Its position is kept in the log's state
 * after each round, so a stopped backfill resumes there instead of reading everything again.
 */
export async function backfillLog(options: BackfillOptions): Promise<BackfillResult> {
  const pageSize = options.pageSize ?? 245;
  let after = (await options.store.state()).backfillAfter;
  let read = 0;
  let integrated = 0;
  let size = 0;
  const to = options.clock();
  for (;;) {
    if (options.stopRequested?.()) return { read, integrated, size, stopped: true };
    const page = await options.audit.page({
      from: new Date(0),
      to,
      limit: pageSize,
      ...(after !== undefined && { after }),
    });
    const result = await options.integrator.integrate(
      page.events.map((event) => ({ eventId: event.eventId, hash: event.hash })),
    );
    read += page.events.length;
    integrated += result.integrated;
    size = result.size;
    options.onProgress?.(page.events.length, result.integrated);
    // The last page's position is not given: the next backfill reads from the one before, a page at most again.
    if (page.continueAfter === undefined) return { read, integrated, size, stopped: false };
    after = page.continueAfter;
    await options.store.saveBackfillPosition(after);
  }
}
