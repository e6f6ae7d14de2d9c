import { CaseAlreadyExistsError, CaseNotFoundError, VersionConflictError } from '../../domain/errors.ts';

/**
 * What an append expects of the case's stream before it: that there is none (`no_stream`: it opens the case),
 * that there is one (`stream_exists`: any version will do), or that it stands at exactly this version
 * (optimistic concurrency, as the HTTP `If-Match` asks). One value from the HTTP edge to the store, so that no
 * combination of flags can ask for a stream that must not exist at version 3.
 */
export type ExpectedVersion = 'no_stream' | 'stream_exists' | number;

/** Whether the append opens its case. */
export const opensCase = (expected: ExpectedVersion): boolean => expected === 'no_stream';

/** Throws the refusal when a stream at `headVersion` (0: none) is not what the append expected. */
export function checkExpectedVersion(caseId: string, expected: ExpectedVersion, headVersion: number): void {
  if (expected === 'no_stream') {
    if (headVersion > 0) throw new CaseAlreadyExistsError(caseId);
    return;
  }
  if (headVersion === 0) throw new CaseNotFoundError(caseId);
  if (typeof expected === 'number' && expected !== headVersion) {
    throw new VersionConflictError(expected, headVersion);
  }
}
