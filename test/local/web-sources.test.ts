import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isFixedSource,
  isStale,
  parseBuildStamp,
  projectImports,
  readBuildStamp,
  readWebSources,
  sourceHash,
  writeBuildStamp,
} from '../../local/web-sources.ts';

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
    expect(isStale({ hash: sourceHash([files[0]!]), imports: [] }, hash)).toBe(true);
    expect(isStale({ hash, imports: [] }, hash)).toBe(false);
  });
});

describe('the stamp of a build', () => {
  const hash = 'a'.repeat(64);

  it('reads what a build wrote, and takes anything else for no stamp, so that the build is made again', () => {
    const written = JSON.stringify({ hash, imports: ['functions/api/auth/principal.ts'] });
    expect(parseBuildStamp(written)).toEqual({ hash, imports: ['functions/api/auth/principal.ts'] });
    for (const text of [
      undefined,
      '',
      `${hash}\n`,
      '{"hash":',
      JSON.stringify({ hash: 'short', imports: [] }),
    ]) {
      expect(parseBuildStamp(text), String(text)).toBeUndefined();
    }
  });

  it("keeps of a bundle's modules the project's own files, not dependencies, virtual modules or outsiders", () => {
    const root = '/srv/ledger';
    expect(
      projectImports(root, [
        '/srv/ledger/web/src/main.tsx',
        '/srv/ledger/functions/api/auth/principal.ts',
        '/srv/ledger/domain/occurred-at.ts?used',
        '/srv/ledger/domain/occurred-at.ts',
        '/srv/ledger/node_modules/react/index.js',
        '/srv/ledger/web/node_modules/.vite/dep.js',
        '\0rolldown/runtime.js',
        'vite/modulepreload-polyfill.js',
        '/elsewhere/lib.js',
      ]),
    ).toEqual(['domain/occurred-at.ts', 'functions/api/auth/principal.ts', 'web/src/main.tsx']);
  });

  it('tells the fixed sources from the imports beyond them', () => {
    expect(isFixedSource('web/src/pages/BoardPage.tsx')).toBe(true);
    expect(isFixedSource('package-lock.json')).toBe(true);
    expect(isFixedSource('web/srcs/x.ts')).toBe(false);
    expect(isFixedSource('functions/api/auth/principal.ts')).toBe(false);
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

  it('reads index.html, vite.config.ts, package-lock.json, everything under web/src and web/public, and the imports', async () => {
    const paths = (await readWebSources(root)).map((file) => file.path).sort();
    // No vite.config.ts, package-lock.json or web/public here: absent sources are left out, not errors.
    expect(paths).toEqual(['web/index.html', 'web/src/main.tsx', 'web/src/screens/board.tsx']);
    await mkdir(join(root, 'domain'), { recursive: true });
    await writeFile(join(root, 'domain', 'dates.ts'), 'dates');
    const withImports = await readWebSources(root, [
      'domain/dates.ts',
      'domain/deleted.ts',
      'web/src/main.tsx',
    ]);
    expect(withImports.map((file) => file.path).sort()).toEqual([
      'domain/dates.ts',
      'web/index.html',
      'web/src/main.tsx',
      'web/src/screens/board.tsx',
    ]);
  });

  it('has no stamp for a build that left none, and reads the one it left', async () => {
    const dist = join(root, 'web', 'dist');
    expect(await readBuildStamp(dist)).toBeUndefined();
    expect(await readBuildStamp(join(root, 'web', 'nowhere'))).toBeUndefined();
    const stamp = { hash: 'b'.repeat(64), imports: ['domain/dates.ts'] };
    await writeBuildStamp(dist, stamp);
    expect(await readBuildStamp(dist)).toEqual(stamp);
  });
});
