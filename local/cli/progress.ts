import { Presets, SingleBar } from 'cli-progress';

/** What a command counts as it goes. */
export interface ProgressRequest {
  /** What is being done, e.g. `verified`. */
  readonly label: string;
  /** What is counted, e.g. `cases`. */
  readonly unit: string;
  /** How many there will be, when known: the bar then shows a percentage and an ETA. */
  readonly total?: number;
}

export interface Progress {
  /** Counts `by` more (1 by default). */
  tick(by?: number): void;
  /** Ends the display; the command prints its own final count after it. */
  done(): void;
}

export type ProgressFactory = (request: ProgressRequest) => Progress;

export interface ProgressStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
}

export interface ProgressOptions {
  /** Without a terminal: print a plain line every this many items. */
  readonly every?: number;
}

/**
 * Progress on `stream` (stderr, so stdout stays data): a live bar on a terminal; elsewhere (CI logs, a pipe,
 * a file) a plain line every `every` items, since a bar's carriage returns would only make noise there.
 */
export function progressOn(stream: ProgressStream, options: ProgressOptions = {}): ProgressFactory {
  return stream.isTTY
    ? (request) => barProgress(stream, request)
    : plainProgress(stream, options.every ?? 1000);
}

/** No progress at all (`--quiet`, tests). */
export const silentProgress: ProgressFactory = () => ({ tick() {}, done() {} });

function barProgress(stream: NodeJS.WritableStream, request: ProgressRequest): Progress {
  const counted = request.total !== undefined;
  const bar = new SingleBar(
    {
      stream,
      format: counted
        ? `${request.label} [{bar}] {percentage}% | {value}/{total} ${request.unit} | ETA {eta_formatted}`
        : `${request.label}: {value} ${request.unit} | {duration_formatted}`,
      hideCursor: true,
      // Ctrl-C is the command's to handle: it stops between batches and says how far it got.
      gracefulExit: false,
      fps: 10,
      etaBuffer: 200,
    },
    Presets.shades_classic,
  );
  bar.start(request.total ?? 0, 0);
  let value = 0;
  return {
    tick(by = 1) {
      value += by;
      bar.update(value);
    },
    done() {
      bar.stop();
    },
  };
}

function plainProgress(stream: NodeJS.WritableStream, every: number): ProgressFactory {
  return (request) => {
    let value = 0;
    const of = request.total === undefined ? '' : ` of ${request.total}`;
    return {
      tick(by = 1) {
        const before = value;
        value += by;
        if (Math.floor(value / every) > Math.floor(before / every)) {
          stream.write(`${request.label}: ${value}${of} ${request.unit}\n`);
        }
      },
      done() {},
    };
  };
}
