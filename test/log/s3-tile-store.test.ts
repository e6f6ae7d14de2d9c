import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TileStore } from '../../functions/log/ports.ts';
import {
  CHECKPOINT_CACHE_CONTROL,
  FULL_TILE_CACHE_CONTROL,
  logObjectHeaders,
  logObjectKey,
  PARTIAL_TILE_CACHE_CONTROL,
  s3TileStore,
} from '../../functions/log/s3-tile-store.ts';
import { type S3StandIn, startS3StandIn } from '../support/s3-stand-in.ts';

const BUCKET = 'detention-ledger-test-log-tiles';

describe('the keys of the log in its bucket', () => {
  it('are the log paths themselves, under the prefixes the grants name', () => {
    expect(logObjectKey('checkpoint')).toBe('checkpoint');
    expect(logObjectKey('tile/0/x001/067')).toBe('tile/0/x001/067');
    expect(logObjectKey('tile/entries/000.p/7')).toBe('tile/entries/000.p/7');
    expect(logObjectKey('tile/2/000.p/1')).toBe('tile/2/000.p/1');
  });

  it.each([
    ['empty', ''],
    ['absolute', '/checkpoint'],
    ['climbing out', 'tile/../checkpoint'],
    ['a dot segment', 'tile/./0/000'],
    ['an empty segment', 'tile//0/000'],
    ['a trailing slash', 'tile/0/000/'],
    ['upper case', 'tile/0/X001/067'],
    ['a backslash', 'tile\\0\\000'],
    ['percent-encoded', 'tile/%2e%2e/checkpoint'],
    ['a query', 'checkpoint?versionId=1'],
    ['outside the log', 'index.html'],
    ['a near miss of the checkpoint', 'checkpoints'],
    ['a NUL byte', 'tile/0/000\u0000'],
    ['oversized', `tile/${'0/'.repeat(300)}000`],
  ])('refuses a path that is %s', (_, path) => {
    expect(() => logObjectKey(path)).toThrow(RangeError);
  });
});

describe('the headers each object is kept with', () => {
  it('serves the checkpoint as UTF-8 text that caches must ask for again', () => {
    expect(logObjectHeaders('checkpoint')).toEqual({
      contentType: 'text/plain; charset=utf-8',
      cacheControl: 'no-cache',
    });
  });

  it('keeps full tiles and bundles for a year, and partial ones for seconds', () => {
    expect(logObjectHeaders('tile/0/x001/067')).toEqual({
      contentType: 'application/octet-stream',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(logObjectHeaders('tile/entries/001')).toEqual({
      contentType: 'application/octet-stream',
      cacheControl: FULL_TILE_CACHE_CONTROL,
    });
    expect(logObjectHeaders('tile/1/000.p/17').cacheControl).toBe(PARTIAL_TILE_CACHE_CONTROL);
    expect(logObjectHeaders('tile/entries/000.p/255').cacheControl).toBe('public, max-age=10');
    expect(CHECKPOINT_CACHE_CONTROL).toBe('no-cache');
  });
});

describe('the S3 tile store, through the real S3 client', () => {
  let s3: S3StandIn;
  let store: TileStore;

  beforeAll(async () => {
    s3 = await startS3StandIn();
    store = s3TileStore({
      s3: new S3Client({
        endpoint: s3.endpoint,
        forcePathStyle: true,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' },
        maxAttempts: 1,
      }),
      bucket: BUCKET,
    });
  });
  afterAll(() => s3.close());

  it('reads back the bytes it wrote, byte for byte', async () => {
    const tile = new Uint8Array(8192).map((_, i) => (i * 37) % 256);
    await store.write('tile/0/x001/067', tile);
    expect(Buffer.from((await store.read('tile/0/x001/067'))!)).toEqual(Buffer.from(tile));
    expect(s3.objects.get(`${BUCKET}/tile/0/x001/067`)?.body).toEqual(Buffer.from(tile));
  });

  it('puts each object with its content type and caching', async () => {
    await store.write('checkpoint', new TextEncoder().encode('localhost/detention-ledger\n0\nAAAA\n'));
    await store.write('tile/entries/000.p/3', new Uint8Array(102));
    const checkpoint = s3.objects.get(`${BUCKET}/checkpoint`)!.headers;
    expect(checkpoint['content-type']).toBe('text/plain; charset=utf-8');
    expect(checkpoint['cache-control']).toBe('no-cache');
    const bundle = s3.objects.get(`${BUCKET}/tile/entries/000.p/3`)!.headers;
    expect(bundle['content-type']).toBe('application/octet-stream');
    expect(bundle['cache-control']).toBe('public, max-age=10');
  });

  it('reads a key that holds nothing as undefined', async () => {
    expect(await store.read('tile/0/x999/999')).toBeUndefined();
  });

  it('replaces what a key held', async () => {
    await store.write('tile/1/000.p/2', new Uint8Array([1, 2]));
    await store.write('tile/1/000.p/2', new Uint8Array([3, 4]));
    expect(await store.read('tile/1/000.p/2')).toEqual(new Uint8Array([3, 4]));
  });

  it('throws a refusal instead of taking it for a missing object', async () => {
    s3.refused.add(`${BUCKET}/tile/0/000`);
    await expect(store.read('tile/0/000')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('sends nothing for a path that is not the log’s', async () => {
    const before = s3.objects.size;
    await expect(store.write('../escape', new Uint8Array([1]))).rejects.toThrow(RangeError);
    await expect(store.read('tile/../../other-bucket/key')).rejects.toThrow(RangeError);
    expect(s3.objects.size).toBe(before);
  });
});
