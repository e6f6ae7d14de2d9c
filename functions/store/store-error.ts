/**
 * What the stores refuse in terms of their own (a ledger too busy to append to, an import that does not fit):
 * a stable snake_case `code`, and the error it wraps as `cause`. The API maps codes to problems in one table.
 */
export abstract class StoreError extends Error {
  abstract readonly code: string;
}
