import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStale, readBuildStamp, readWebSources, sourceHash } from '../../local/web-sources.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the hash of the web application sources', () => {
  const files = [
    { path: 'web/index.html', content: bytes('<div id="root"></div>') },
    { path: 'web/src/main.tsx', content: bytes('render()') },
  ];

  it('does not depend on the order the files were listed in', () => {
    expect(sourceHash([...files].reverse())).toBe(sourceHash(files));
  });

  it('changes with a byte of content, a renamed file, an added file, or bytes moved between files', () => {
    const base = sourceHash(files);
    const variants = [
      [files[0]!, { path: 'web/src/main.tsx', content: bytes('render();') }],
      [files[0]!, { path: 'web/src/app.tsx', content: files[1]!.content }],
      [...files, { path: 'web/src/extra.ts', content: bytes('') }],
      [
        { path: 'web/index.html', content: bytes('<div id="root"></div>r') },
        { path: 'web/src/main.tsx', content: bytes('ender()') },
      ],
    ];
    const hashes = variants.map(sourceHash);
    for (const hash of hashes) expect(hash).not.toBe(base);
    expect(new Set(hashes).size).toBe(variants.length);
  });

  it('calls a build stale when it has no stamp or another one, and fresh when the stamp matches', () => {
    const hash = sourceHash(files);
    expect(isStale(undefined, hash)).toBe(true);
    expect(isStale(sourceHash([files[0]!]), hash)).toBe(true);
    expect(isStale(`${hash}\n`, hash)).toBe(false);
  });
});

describe('reading the sources and the stamp', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ledger-web-sources-'));
    await mkdir(join(root, 'web', 'src', 'screens'), { recursive: true });
    await mkdir(join(root, 'web', 'dist'), { recursive: true });
    await writeFile(join(root, 'web', 'index.html'), '<html></html>');
    await writeFile(join(root, 'web', 'src', 'main.tsx'), 'main');
    await writeFile(join(root, 'web', 'src', 'screens', 'board.tsx'), 'board');
    await writeFile(join(root, 'web', 'dist', 'index.html'), 'built');
    await writeFile(join(root, 'web', 'tsconfig.json'), '{}');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads index.html, vite.config.ts, package-lock.json and everything under web/src and web/public', async () => {
    const paths = (await readWebSources(root)).map((file) => file.path).sort();
    // No vite.config.ts, package-lock.json or web/public here: absent sources are left out, not errors.
    expect(paths).toEqual(['web/index.html', 'web/src/main.tsx', 'web/src/screens/board.tsx']);
  });

  it('has no stamp for a build that left none, and reads the one it left', async () => {
    expect(await readBuildStamp(join(root, 'web', 'dist'))).toBeUndefined();
    expect(await readBuildStamp(join(root, 'web', 'nowhere'))).toBeUndefined();
    await writeFile(join(root, 'web', 'dist', '.source-hash'), 'abc\n');
    expect(await readBuildStamp(join(root, 'web', 'dist'))).toBe('abc\n');
  });
});
