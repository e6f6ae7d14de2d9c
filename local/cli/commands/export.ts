import type { WriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { EXIT, InputFileError, InterruptedError } from '../cli-errors.ts';
import type { CommandContext } from '../command-context.ts';
import { counted } from '../counted.ts';
import { writeText } from '../write-text.ts';

export const exportFormats = ['ndjson'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportOptions {
  readonly format: ExportFormat;
  /** A file to write; stdout when absent. */
  readonly out?: string;
}

export interface ExportReport {
  readonly exitCode: number;
  readonly cases: number;
  readonly events: number;
}

/** Where the lines go: stdout as it is, or a file that only gets its name once it is complete. */
interface ExportSink {
  readonly stream: NodeJS.WritableStream;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

async function fileSink(path: string): Promise<ExportSink> {
  // Written under another name and renamed at the end, so a file at `path` is always a whole export. Opened
  // here, before any work, so a path that cannot be written is said at once.
  const partial = `${path}.partial`;
  let stream: WriteStream;
  try {
    stream = (await open(partial, 'w', 0o600)).createWriteStream();
  } catch (error) {
    throw new InputFileError(
      `${path}: cannot be written (${(error as NodeJS.ErrnoException).code ?? error})`,
      { cause: error },
    );
  }
  // A failed write reaches the writer through its callback; the listener only keeps the event from crashing.
  stream.on('error', () => {});
  return {
    stream,
    async commit() {
      stream.end();
      await finished(stream);
      await rename(partial, path);
    },
    async discard() {
      stream.destroy();
      await unlink(partial).catch(() => undefined);
    },
  };
}

function stdoutSink(stdout: NodeJS.WritableStream): ExportSink {
  return { stream: stdout, commit: async () => {}, discard: async () => {} };
}

/**
 * `ledger export --format ndjson`: every event of every case, one JSON object per line — the stored event
 * with its envelope and hashes, exactly as `GET /cases/{id}/events` gives it — case by case, in version order.
 * Streams a page at a time, so the ledger never sits in memory. Each case's lines are a prefix of its chain as
 * it stood when read, so an export taken while appends go on still imports and verifies.
 */
export async function runExport(context: CommandContext, options: ExportOptions): Promise<ExportReport> {
  const sink = options.out === undefined ? stdoutSink(context.stdout) : await fileSink(options.out);
  const progress = context.progress({ label: 'exported', unit: 'events' });
  let cases = 0;
  let events = 0;
  try {
    for await (const caseId of context.ledger.caseIds()) {
      if (context.signal?.aborted) throw new InterruptedError();
      for await (const page of context.ledger.pages(caseId)) {
        await writeText(sink.stream, page.map((event) => `${JSON.stringify(event)}\n`).join(''));
        events += page.length;
        progress.tick(page.length);
      }
      cases += 1;
    }
    await sink.commit();
  } catch (error) {
    await sink.discard();
    throw error;
  } finally {
    progress.done();
  }
  await writeText(
    context.stderr,
    `Exported ${counted(events, 'event')} of ${counted(cases, 'case')} to ${options.out ?? 'stdout'}.\n`,
  );
  return { exitCode: EXIT.ok, cases, events };
}
