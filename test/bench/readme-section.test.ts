import { describe, expect, it } from 'vitest';
import {
  README_BEGIN,
  README_END,
  ReadmeMarkersError,
  withResults,
} from '../../local/bench/readme-section.ts';

describe("the README's Benchmark section", () => {
  const readme = [
    '# Title',
    '## Benchmark',
    'By hand.',
    README_BEGIN,
    'old table',
    README_END,
    '## Next',
    '',
  ].join('\n');

  it('gets the new results between its markers, and keeps every other line', () => {
    const updated = withResults(readme, 'new table');
    expect(updated).toBe(
      ['# Title', '## Benchmark', 'By hand.', README_BEGIN, 'new table', README_END, '## Next', ''].join(
        '\n',
      ),
    );
    expect(withResults(updated, 'new table')).toBe(updated);
  });

  it('is not written when the markers are missing', () => {
    expect(() => withResults('# Title\n', 'table')).toThrow(ReadmeMarkersError);
  });
});
