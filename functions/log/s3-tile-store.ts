import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { TileStore } from './ports.ts';

/** The log's paths: lower-case letters, digits, dots and slashes, no empty, `.` or `..` segment. */
const LOG_PATH = /^[a-z0-9]+(?:[./][a-z0-9]+)*$/;

/** Full tiles and bundles never change: whoever writes one again writes the same bytes (C2SP tlog-tiles). */
export const FULL_TILE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** A partial tile is replaced by the full one once the tree grows past it, and may then be gone. */
export const PARTIAL_TILE_CACHE_CONTROL = 'public, max-age=10';
/** The checkpoint moves with every integration: a cache must ask again each time. */
export const CHECKPOINT_CACHE_CONTROL = 'no-cache';

/** How an object of the log is described to whoever reads it from the bucket, as the `/log/` routes serve it. */
export interface LogObjectHeaders {
  readonly contentType: string;
  readonly cacheControl: string;
}

/**
 * The bucket key of a path of the log (`checkpoint`, `tile/0/x001/067`, `tile/entries/000.p/7`): the path
 * itself, the layout the bucket's grants name (`tile/*`, `checkpoint`). Anything else is refused before it
 * reaches S3, so no caller can name a key outside the log's.
 *
 * @throws RangeError for a path that is not one of the log's.
 */
export function logObjectKey(path: string): string {
  const ofTheLog = path === 'checkpoint' || path.startsWith('tile/');
  if (path.length > 512 || !ofTheLog || !LOG_PATH.test(path)) {
    throw new RangeError(`not a path of the log: ${JSON.stringify(path.slice(0, 100))}`);
  }
  return path;
}

/** The headers docs/log.md gives each kind of object: the checkpoint as text, tiles and bundles as bytes. */
export function logObjectHeaders(path: string): LogObjectHeaders {
  if (path === 'checkpoint') {
    return { contentType: 'text/plain; charset=utf-8', cacheControl: CHECKPOINT_CACHE_CONTROL };
  }
  return {
    contentType: 'application/octet-stream',
    cacheControl: /\.p\/\d+$/.test(path) ? PARTIAL_TILE_CACHE_CONTROL : FULL_TILE_CACHE_CONTROL,
  };
}

/** S3's answer for a key that holds nothing (with `s3:ListBucket` granted; without it S3 says AccessDenied). */
function isMissing(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound');
}

export interface S3TileStoreOptions {
  readonly s3: S3Client;
  /** `LOG_BUCKET`. */
  readonly bucket: string;
}

/**
 * The log's tiles, bundles and checkpoint as objects of an S3 bucket, keyed by their paths, each with the
 * content type and caching the `/log/` routes give it, so the bucket can be put behind a CDN as it is. A missing
 * object reads as undefined; any other failure (a refusal, a throttle) is thrown, never taken for "not there".
 */
export function s3TileStore(options: S3TileStoreOptions): TileStore {
  const { s3, bucket } = options;
  return {
    async read(path) {
      const key = logObjectKey(path);
      try {
        const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (answer.Body === undefined) return new Uint8Array();
        return await answer.Body.transformToByteArray();
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async write(path, bytes) {
      const key = logObjectKey(path);
      const headers = logObjectHeaders(path);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentType: headers.contentType,
          CacheControl: headers.cacheControl,
        }),
      );
    },
  };
}
