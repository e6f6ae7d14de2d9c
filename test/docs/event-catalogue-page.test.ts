import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordedEventTypes } from '../../domain/event-catalogue.ts';
import { freeTextPaths } from '../../domain/free-text-fields.ts';
import { renderEventCatalogue } from '../../local/docs/event-catalogue-page.ts';

const committed = () => readFileSync(new URL('../../docs/event-catalogue.md', import.meta.url), 'utf8');

describe('docs/event-catalogue.md', () => {
  it('is exactly what `npm run docs` writes from the schemas (run it after a change to the catalogue)', () => {
    expect(committed()).toBe(renderEventCatalogue());
  });

  it('has a section for every event type the ledger may hold', () => {
    const page = renderEventCatalogue();
    for (const type of recordedEventTypes) expect(page, type).toContain(`\n### ${type}\n`);
  });

  it('marks every free-text field of every type as sealed, and a structured fact as in clear', () => {
    const page = renderEventCatalogue();
    for (const type of recordedEventTypes) {
      const section = page.slice(page.indexOf(`\n### ${type}\n`)).split('\n### ')[1] ?? '';
      for (const path of freeTextPaths(type).filter((path) => path.startsWith('data.'))) {
        expect(section, `${type} ${path}`).toMatch(
          new RegExp(`\\| \`${path.replaceAll('*', '\\*')}\` \\|.*\\| \\*\\*sealed\\*\\* \\|`),
        );
      }
    }
    expect(page).toMatch(/\| `data\.facility` \| no \| text, 1–300 characters \| in clear \|/);
    expect(page).toMatch(/\| `data\.subject\.name` \| yes \| .* \| \*\*sealed\*\* \|/);
    expect(page).toMatch(/\| `note` \| no \| .* \| \*\*sealed\*\* \|/);
  });
});
