import { ProblemError } from '../api/problem.ts';

/** The API's messages for one field, by the field's path in the request (`events.0.data.by`). */
export type ErrorsAt = (path: string) => readonly string[];

const none: ErrorsAt = () => [];

/** The field errors of a refusal; none for anything else (a lost connection is said once, not per field). */
export function errorsOf(error: unknown): ErrorsAt {
  if (!(error instanceof ProblemError)) return none;
  return (path) => error.fieldMessages(path);
}

/** Errors under a part of the request: `within(errorsAt, 'events.0.')('note')` reads `events.0.note`. */
export function within(errorsAt: ErrorsAt, prefix: string): ErrorsAt {
  return (path) => errorsAt(`${prefix}${path}`);
}

/** Messages at exactly this path, not below it: a rule about an object as a whole ("give years or months"). */
export function exactlyAt(error: unknown, path: string): readonly string[] {
  if (!(error instanceof ProblemError)) return [];
  return (error.problem.errors ?? []).filter((found) => found.path === path).map((found) => found.message);
}
