import { ApiError } from '../api/api-error.ts';

/** A tree size beyond the newest published checkpoint, or asked for before any was published. */
export class LogSizeNotFoundError extends ApiError {
  readonly code = 'log_size_not_found';
  constructor(detail: string) {
    super(detail);
    this.name = 'LogSizeNotFoundError';
  }
}

/** An event the log has not taken in: not yet (it is on its way), or never (no such event). */
export class LogEventNotFoundError extends ApiError {
  readonly code = 'log_event_not_found';
  constructor(detail: string) {
    super(detail);
    this.name = 'LogEventNotFoundError';
  }
}

/** A well-formed tile or bundle path that the log does not hold (yet). */
export class TileNotFoundError extends ApiError {
  readonly code = 'tile_not_found';
  constructor(path: string) {
    super(`The log holds no ${path} (yet): tiles exist only for the sizes it has reached`);
    this.name = 'TileNotFoundError';
  }
}
