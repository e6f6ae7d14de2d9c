import { describe, expect, it } from 'vitest';
import { CaseAlreadyExistsError, CaseNotFoundError, VersionConflictError } from '../../domain/errors.ts';
import { checkExpectedVersion, type ExpectedVersion } from '../../functions/store/expected-version.ts';

/** The refusal an append expecting `expected` meets on a stream at `head` (0: none), or `undefined`. */
function refusalOf(expected: ExpectedVersion, head: number): unknown {
  try {
    checkExpectedVersion('case-ev-1', expected, head);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('what an append expects of the stream', () => {
  it('opens a case only where there is no stream', () => {
    expect(refusalOf('no_stream', 0)).toBeUndefined();
    expect(refusalOf('no_stream', 3)).toBeInstanceOf(CaseAlreadyExistsError);
  });

  it('appends at any version of a stream that exists, and to none that does not', () => {
    expect(refusalOf('stream_exists', 7)).toBeUndefined();
    expect(refusalOf('stream_exists', 0)).toBeInstanceOf(CaseNotFoundError);
  });

  it('appends at exactly the expected version, and says which version the stream is at', () => {
    expect(refusalOf(4, 4)).toBeUndefined();
    expect(refusalOf(4, 5)).toMatchObject({ expectedVersion: 4, actualVersion: 5 });
    expect(refusalOf(4, 5)).toBeInstanceOf(VersionConflictError);
    // A case that does not exist is not found, whatever version was expected of it.
    expect(refusalOf(4, 0)).toBeInstanceOf(CaseNotFoundError);
    expect(refusalOf(0, 0)).toBeInstanceOf(CaseNotFoundError);
  });
});
