/**
 * `npm run docs`: writes the documents that are generated from the code, so they cannot drift from it.
 * `test/docs/` fails when a committed page differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { renderEventCatalogue } from './event-catalogue-page.ts';

export const EVENT_CATALOGUE_PAGE = new URL('../../docs/event-catalogue.md', import.meta.url);

writeFileSync(EVENT_CATALOGUE_PAGE, renderEventCatalogue());
console.log('wrote docs/event-catalogue.md');
