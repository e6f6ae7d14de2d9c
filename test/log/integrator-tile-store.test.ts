import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryTileStore } from '../../functions/log/directory-tile-store.ts';
import { temporaryDirectory } from './integrator-support.ts';

/** The local tile store: the log's paths as files under LOG_DIR, and nothing outside it, whatever it is asked. */
let dir: Awaited<ReturnType<typeof temporaryDirectory>>;
let outside: Awaited<ReturnType<typeof temporaryDirectory>>;

beforeAll(async () => {
  dir = await temporaryDirectory('tile-store');
  outside = await temporaryDirectory('tile-store-outside');
  await writeFile(join(outside.path, 'secret'), 'not the log');
});
afterAll(async () => {
  await dir.remove();
  await outside.remove();
});

describe('the directory tile store', () => {
  it('keeps bytes at the log paths, replaces them whole, and leaves no temporary file behind', async () => {
    const store = directoryTileStore(dir.path);
    expect(await store.read('tile/0/x001/067')).toBeUndefined();
    await store.write('tile/0/x001/067', new Uint8Array([1, 2, 3]));
    await store.write('tile/0/x001/067', new Uint8Array([4, 5]));
    await store.write('tile/entries/000.p/7', new Uint8Array([6]));
    await store.write('checkpoint', new TextEncoder().encode('origin\n1\nroot\n'));
    expect(await store.read('tile/0/x001/067')).toEqual(new Uint8Array([4, 5]));
    expect(await readFile(join(dir.path, 'tile/entries/000.p/7'))).toEqual(Buffer.from([6]));
    const files = await readdir(dir.path, { recursive: true });
    expect(files.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses any path that could leave its directory or is not a log path, and writes nothing for it', async () => {
    const store = directoryTileStore(dir.path);
    const relativeOutside = join('..', outside.path.split('/').at(-1)!, 'secret');
    for (const path of [
      relativeOutside,
      '../secret',
      'tile/../../secret',
      '/etc/passwd',
      'tile//0',
      'tile/./0',
      '',
      'tile/0/000/',
      'Tile/0/000',
      'tile\\0\\000',
      'tile/0/000\u0000',
      'tile/%2e%2e/secret',
    ]) {
      await expect(store.read(path), path).rejects.toThrow(RangeError);
      await expect(store.write(path, new Uint8Array([9])), path).rejects.toThrow(RangeError);
    }
    expect(await readFile(join(outside.path, 'secret'), 'utf8')).toBe('not the log');
  });
});
