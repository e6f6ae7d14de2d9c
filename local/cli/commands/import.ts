import { open, stat } from 'node:fs/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GENESIS_HASH, hashEvent } from '../../../domain/hash-chain.ts';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import { ImportChainError, ImportConflictError } from '../../../functions/store/ledger-store.ts';
import { CommandFailure, EXIT, InputFileError, InterruptedError } from '../cli-errors.ts';
import { type CommandContext, DEFAULT_IMPORT_CONCURRENCY } from '../command-context.ts';
import { counted } from '../counted.ts';
import { MAX_LINE_BYTES, parseExportedLine } from '../exported-event.ts';
import { readLines, UnreadableLineError } from '../read-lines.ts';
import { forEachConcurrently } from '../run-concurrently.ts';
import { writeText } from '../write-text.ts';

/** Events of one case handed to `importEvents` at once: each call checks them all before it writes any. */
export const IMPORT_BATCH_EVENTS = 1000;

export interface ImportOptions {
  readonly file: string;
  readonly json?: boolean;
  /** Cases imported at once. */
  readonly concurrency?: number;
}

export interface ImportCounts {
  /** Events the ledger did not hold and now does. */
  readonly written: number;
  /** Events the ledger already held with the same hash: imported before, by an earlier run. */
  readonly skipped: number;
  /** Cases the file holds events of. */
  readonly cases: number;
}

export interface ImportReport extends ImportCounts {
  readonly exitCode: number;
}

/** A line of the file is not an event of an export, or breaks its case's chain: nothing was imported. */
export class ImportFileError extends CommandFailure {
  override readonly code = 'import_file_invalid';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`${file} line ${line}: ${problems.join('; ')}. Nothing was imported.`, EXIT.failed, options);
    this.name = 'ImportFileError';
  }
}

interface NumberedEvent {
  readonly line: number;
  readonly event: StoredEvent;
}

async function openInput(file: string) {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new InputFileError(`${file}: not a file`);
    return (await open(file, 'r')).createReadStream();
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(
      code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? String(error)})`,
      { cause: error },
    );
  }
}

/** The events of an export file, line by line; blank lines are skipped, a bad line stops everything. */
async function* eventsOf(file: string): AsyncGenerator<NumberedEvent> {
  try {
    for await (const { number, text } of readLines(await openInput(file), MAX_LINE_BYTES)) {
      if (text.trim() === '') continue;
      const parsed = parseExportedLine(text);
      if (!parsed.ok) throw new ImportFileError(file, number, parsed.problems);
      yield { line: number, event: parsed.event };
    }
  } catch (error) {
    if (error instanceof UnreadableLineError)
      throw new ImportFileError(file, error.line, [error.reason], { cause: error });
    throw error;
  }
}

/** Why an event cannot follow the one before it in the file, if it cannot. */
function chainProblem(previous: StoredEvent | undefined, event: StoredEvent): string | undefined {
  const { hash, ...unhashed } = event;
  const name = `${event.streamId} version ${event.version}`;
  if (hashEvent(unhashed) !== hash) return `${name}: the hash does not match the event's content`;
  if (previous?.streamId === event.streamId) {
    if (event.version !== previous.version + 1) {
      return `${name} follows version ${previous.version}: versions must run on without a gap`;
    }
    if (event.prevHash !== previous.hash)
      return `${name}: prevHash is not the hash of version ${previous.version}`;
  } else if (event.version === 1 && event.prevHash !== GENESIS_HASH) {
    return `${name}: a first event's prevHash must be ${GENESIS_HASH}`;
  }
  return undefined;
}

/**
 * The first pass: every line parsed, schema-checked and chained to the line before it, without touching the
 * ledger. A file with a bad line is refused whole, and the second pass knows how many events to expect.
 * A case's lines that start after version 1 are chained onto the ledger's head by `importEvents`.
 */
async function checkFile(context: CommandContext, file: string): Promise<{ events: number; cases: number }> {
  const progress = context.progress({ label: 'checked', unit: 'events' });
  let previous: StoredEvent | undefined;
  let events = 0;
  let cases = 0;
  try {
    for await (const { line, event } of eventsOf(file)) {
      const problem = chainProblem(previous, event);
      if (problem !== undefined) throw new ImportFileError(file, line, [problem]);
      if (previous?.streamId !== event.streamId) cases += 1;
      previous = event;
      events += 1;
      progress.tick();
      if (context.signal?.aborted) throw new InterruptedError();
    }
  } finally {
    progress.done();
  }
  return { events, cases };
}

/** What `importEvents` refused, put as the file's lines and the case they hold. */
function refusal(file: string, batch: readonly NumberedEvent[], error: unknown): unknown {
  const caseId = batch[0]!.event.streamId;
  const lines = `${file} lines ${batch[0]!.line}-${batch.at(-1)!.line}`;
  if (error instanceof ImportConflictError || error instanceof ImportChainError) {
    return new CommandFailure(`${lines}: ${error.message}.`, EXIT.failed, { cause: error });
  }
  if (error instanceof TransactionCanceledException) {
    return new CommandFailure(
      `${lines}: DynamoDB refused to write case ${caseId}: an event id among them is already recorded for ` +
        'another event of the ledger, or the case was appended to meanwhile.',
      EXIT.failed,
      { cause: error },
    );
  }
  return error;
}

/** Consecutive lines of one case, at most `IMPORT_BATCH_EVENTS`; `first` when it starts the case's run. */
interface Batch {
  readonly caseId: string;
  readonly events: readonly NumberedEvent[];
  readonly first: boolean;
}

/** The file's events as batches: a new batch at each change of case, and every `IMPORT_BATCH_EVENTS`. */
async function* batchesOf(file: string): AsyncGenerator<Batch> {
  let events: NumberedEvent[] = [];
  let first = true;
  for await (const item of eventsOf(file)) {
    const current = events[0]?.event.streamId;
    if (current !== undefined && (current !== item.event.streamId || events.length >= IMPORT_BATCH_EVENTS)) {
      yield { caseId: current, events, first };
      first = current !== item.event.streamId;
      events = [];
    }
    events.push(item);
  }
  if (events.length > 0) yield { caseId: events[0]!.event.streamId, events, first };
}

/**
 * The second pass: the batches through `importEvents`, several cases at once. The batches of one case wait
 * for each other, so a case is always appended in order; cases never depend on each other.
 */
async function writeEvents(
  context: CommandContext,
  options: ImportOptions,
  total: number,
  counts: { written: number; skipped: number; cases: number },
): Promise<void> {
  const progress = context.progress({ label: 'imported', unit: 'events', total });
  const tails = new Map<string, Promise<void>>();
  const importBatch = async (batch: Batch) => {
    try {
      const result = await context.ledger.importEvents(
        batch.caseId,
        batch.events.map((item) => item.event),
      );
      counts.written += result.written;
      counts.skipped += result.skipped;
      if (batch.first) counts.cases += 1;
      progress.tick(batch.events.length);
    } catch (error) {
      throw refusal(options.file, batch.events, error);
    }
  };
  try {
    await forEachConcurrently(
      batchesOf(options.file),
      options.concurrency ?? DEFAULT_IMPORT_CONCURRENCY,
      async (batch) => {
        const previous = tails.get(batch.caseId);
        // A batch after a failed one of its case fails with the same error, and writes nothing.
        const current = (async () => {
          await previous;
          await importBatch(batch);
        })();
        tails.set(batch.caseId, current);
        try {
          await current;
        } finally {
          if (tails.get(batch.caseId) === current) tails.delete(batch.caseId);
        }
      },
      context.signal,
    );
  } finally {
    progress.done();
  }
}

function summary(counts: ImportCounts): string {
  return `${counts.written} written, ${counts.skipped} already present, ${counted(counts.cases, 'case')}`;
}

/**
 * `ledger import FILE.ndjson`: appends the events of an export — envelopes, times, authors and hashes as they
 * were — each case in the file's order, several cases at once. A first pass checks every line (JSON, the event catalogue, the chain)
 * and refuses the whole file at its first bad line; the second writes through `LedgerStore.importEvents`,
 * which skips the events the ledger already holds with the same hash. So an import that was interrupted
 * simply runs again, and one that conflicts with what the ledger holds writes nothing for that case.
 */
export async function runImport(context: CommandContext, options: ImportOptions): Promise<ImportReport> {
  const checked = await checkFile(context, options.file);
  const counts = { written: 0, skipped: 0, cases: 0 };
  try {
    await writeEvents(context, options, checked.events, counts);
  } catch (error) {
    if (counts.written + counts.skipped > 0) {
      const rerun = error instanceof InterruptedError ? ' Run the same import again to continue.' : '';
      await writeText(context.stderr, `Stopped after ${summary(counts)}.${rerun}\n`);
    }
    throw error;
  }
  await writeText(
    context.stdout,
    options.json
      ? `${JSON.stringify({ file: options.file, ...counts })}\n`
      : `Imported ${options.file}: ${summary(counts)}.\n`,
  );
  return { exitCode: EXIT.ok, ...counts };
}
