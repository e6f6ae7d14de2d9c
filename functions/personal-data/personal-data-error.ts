/**
 * What the keeping of personal data refuses (no key to it here, a case key wrapped by a master key not held):
 * a stable snake_case `code`, and the error it wraps as `cause`.
 */
export abstract class PersonalDataError extends Error {
  abstract readonly code: string;
}
