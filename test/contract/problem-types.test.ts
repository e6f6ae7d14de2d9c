import { describe, expect, it } from 'vitest';
import { PROBLEMS, type ProblemCode } from '../../functions/api/problem-table.ts';
import { problemOf } from '../../functions/api/problems.ts';

describe('the problem types the API sends', () => {
  it('are the kebab-case spelling of snake_case codes, and stay the ones clients already know', () => {
    const codes = Object.keys(PROBLEMS) as ProblemCode[];
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/);
    expect(
      codes.map((code) => problemOf(code, 'detail').type.replace('urn:problem:detention-ledger:', '')).sort(),
    ).toEqual(
      [
        'validation-failed',
        'http-400',
        'unauthenticated',
        'forbidden',
        'case-not-found',
        'digest-not-found',
        'case-in-digest-not-found',
        'http-404',
        'http-405',
        'case-exists',
        'case-erased',
        'case-not-in-group',
        'event-id-conflict',
        'version-conflict',
        'http-413',
        'http-415',
        'rule-violated',
        'ledger-busy',
        'unavailable',
        'store-unavailable',
        'internal',
        'subscription-not-found',
        'endpoint-not-found',
        'link-invalid',
        'link-gone',
        'log-size-not-found',
        'log-event-not-found',
        'tile-not-found',
      ].sort(),
    );
  });
});
