/**
 * What the local runtime, the CLI and the benchmark refuse or fail at in words of their own (a port in use,
 * no Java, a refused import): a stable snake_case `code`, and the error it wraps as `cause`.
 */
export abstract class LocalError extends Error {
  abstract readonly code: string;
}
