/** One structured log entry; extra fields carry the context (shard, sequence number, error). */
export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Where the local runtime's components write their logs; tests pass one that records. */
export type Logger = (entry: LogEntry) => void;

/** An error as plain JSON fields: `JSON.stringify` of an `Error` alone gives `{}`. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  return {
    name: error.name,
    message: error.message,
    ...('code' in error && error.code !== undefined && { code: error.code }),
    ...(error.stack !== undefined && { stack: error.stack }),
  };
}

/**
 * Writes each entry as one JSON object on one line of stderr (JSON Lines), with a timestamp, so the output can
 * be read by people and piped into `jq` alike.
 */
export function createJsonLinesLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  return (entry) => {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  };
}
