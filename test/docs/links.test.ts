import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pages = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).map((name) => `docs/${name}`)].filter(
  (page) => page.endsWith('.md'),
);

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-');

function anchorsOf(page: string): Set<string> {
  const text = readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchorOf(heading!)));
}

describe('the links between README.md and docs/', () => {
  it.each(pages)('%s links only to pages and headings that exist', (page) => {
    const text = readFileSync(path.join(ROOT, page), 'utf8');
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target!);
    for (const link of links.filter((target) => !/^[a-z]+:/.test(target))) {
      const [file, anchor] = link.split('#');
      const target =
        file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file!));
      expect(existsSync(path.join(ROOT, target)), `${page}: ${link}`).toBe(true);
      if (anchor !== undefined) expect(anchorsOf(target), `${page}: ${link}`).toContain(anchor);
    }
  });
});
