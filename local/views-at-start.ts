import { Writable } from 'node:stream';
import { PROJECTION_REVISION } from '../domain/projection-revision.ts';
import type { Services } from '../functions/services.ts';
import type { TableOutcome } from '../functions/tables/ensure-tables.ts';
import { runRebuildViews } from './cli/commands/rebuild-views.ts';
import { progressOn } from './cli/progress.ts';

export interface ViewsAtStartOptions {
  readonly services: Pick<Services, 'ledger' | 'views' | 'digests' | 'caseKeys'>;
  /** What `ensureTables` did with the views table. */
  readonly views: TableOutcome;
  readonly clock: () => Date;
  readonly say: (line: string) => void;
}

/** Lines written to `say`, one call per line. */
function lines(say: (line: string) => void): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') say(line);
      done();
    },
  });
}

/**
 * Brings every view to the current projection revision before the API answers. A table made now is empty, so
 * current; a data directory written by an older version holds views without what this one reads (the alert
 * indexes' keys, say), which would leave cases out of the alerts without a word. Those are rebuilt from the
 * ledger once, with progress, and the table is marked so later starts skip it.
 *
 * @returns how many cases were rebuilt, or `undefined` when nothing had to be.
 */
export async function bringViewsToCurrentRevision(options: ViewsAtStartOptions): Promise<number | undefined> {
  const { services, clock, say } = options;
  if (options.views === 'created') {
    await services.views.markRebuilt(PROJECTION_REVISION, clock());
    return undefined;
  }
  const rebuilt = await services.views.rebuiltRevision();
  if (rebuilt !== undefined && rebuilt >= PROJECTION_REVISION) return undefined;
  say(
    `The views were written by an older version of the ledger (projection revision ${rebuilt ?? 'before 3'}): ` +
      `rebuilding them from the ledger as revision ${PROJECTION_REVISION} before the API answers.`,
  );
  const out = lines(say);
  const report = await runRebuildViews(
    { ...services, stdout: out, stderr: out, progress: progressOn(out, { every: 1000 }), clock },
    {},
  );
  return report.cases;
}
