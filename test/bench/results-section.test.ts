import { describe, expect, it } from 'vitest';
import {
  RESULTS_BEGIN,
  RESULTS_END,
  ResultsMarkersError,
  withResults,
} from '../../local/bench/results-section.ts';

describe("the benchmarks document's generated section", () => {
  const document = ['# Benchmarks', 'By hand.', RESULTS_BEGIN, 'old table', RESULTS_END, '## Next', ''].join(
    '\n',
  );

  it('gets the new results between its markers, and keeps every other line', () => {
    const updated = withResults(document, 'new table');
    expect(updated).toBe(
      ['# Benchmarks', 'By hand.', RESULTS_BEGIN, 'new table', RESULTS_END, '## Next', ''].join('\n'),
    );
    expect(withResults(updated, 'new table')).toBe(updated);
  });

  it('is found under a begin marker that names the older option, which it then names anew', () => {
    const older = document.replace(
      RESULTS_BEGIN,
      '<!-- bench:begin (written by `npm run bench -- --update-readme`) -->',
    );
    expect(withResults(older, 'new table')).toBe(withResults(document, 'new table'));
  });

  it('is not written when the markers are missing, and the error names the document', () => {
    expect(() => withResults('# Title\n', 'table', 'notes.md')).toThrow(ResultsMarkersError);
    expect(() => withResults(`# Title\n${RESULTS_BEGIN}\n`, 'table', 'notes.md')).toThrow(/notes\.md has no/);
  });
});
