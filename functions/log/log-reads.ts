import { consistencyProof, inclusionProof, treeRoot } from '../../domain/log/tile-tree.ts';
import { EMPTY_ROOT } from '../../domain/log/tree-hashing.ts';
import { formatVerifierKey, SIGNATURE_TYPE } from '../../domain/log/verifier-key.ts';
import { LogEventNotFoundError, LogSizeNotFoundError, TileNotFoundError } from './log-errors.ts';
import type { LogStore } from './log-store.ts';
import type { NoteSigner, TileStore, WitnessConfig } from './ports.ts';
import { tileReader } from './tile-reader.ts';

export interface LogReadsOptions {
  readonly store: LogStore;
  readonly tiles: TileStore;
  /** Only its name and public key are used: the API never signs. */
  readonly signer: Pick<NoteSigner, 'name' | 'publicKey'>;
  readonly witnesses?: readonly WitnessConfig[];
}

export interface InclusionAnswer {
  readonly eventId: string;
  readonly index: number;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly hashes: Uint8Array[];
}

/** What the API serves of the log (docs/log.md, under `/log/`). */
export interface LogReads {
  /** The newest checkpoint as published, with every cosignature; undefined before the first. */
  checkpoint(): Promise<string | undefined>;
  /** The log's verifier key, then each witness's, one a line. */
  keys(): Promise<string>;
  /** A tile or entry bundle by its path (already checked with `parseTilePath`). */
  tile(path: string): Promise<Uint8Array>;
  consistency(from: number, to: number): Promise<Uint8Array[]>;
  inclusion(eventId: string, treeSize?: number): Promise<InclusionAnswer>;
}

/** The log as the API reads it: tiles from the tile store, sizes and indexes from the log table. */
export function createLogReads(options: LogReadsOptions): LogReads {
  const { store, tiles } = options;
  let verifierKey: Promise<string> | undefined;

  /** The newest published size and how far tiles are written (at least that far). */
  async function published() {
    const state = await store.state();
    if (state.checkpoint === undefined) {
      throw new LogSizeNotFoundError('The log has published no checkpoint yet');
    }
    return { size: state.checkpoint.size, tilesSize: state.tilesSize };
  }

  function refuseBeyond(size: number, newest: number, what: string) {
    if (size > newest) {
      throw new LogSizeNotFoundError(
        `${what} ${size} is above the newest checkpoint of the log, of size ${newest}`,
      );
    }
  }

  return {
    async checkpoint() {
      const bytes = await tiles.read('checkpoint');
      return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
    },
    async keys() {
      verifierKey ??= options.signer
        .publicKey()
        .then((key) => formatVerifierKey(options.signer.name, SIGNATURE_TYPE.ed25519, key));
      const lines = [await verifierKey, ...(options.witnesses ?? []).map((witness) => witness.verifierKey)];
      return `${lines.join('\n')}\n`;
    },
    async tile(path) {
      const bytes = await tiles.read(path);
      if (bytes === undefined) throw new TileNotFoundError(path);
      return bytes;
    },
    async consistency(from, to) {
      const newest = await published();
      refuseBeyond(to, newest.size, 'The size `to`');
      return consistencyProof(from, to, tileReader(tiles, newest.tilesSize).tile);
    },
    async inclusion(eventId, treeSize) {
      const newest = await published();
      const size = treeSize ?? newest.size;
      refuseBeyond(size, newest.size, 'The tree size');
      const index = await store.indexOf(eventId);
      if (index === undefined) {
        throw new LogEventNotFoundError(
          `The log has not taken in event ${eventId}: not yet (it is integrated moments after its append), or it is no event of this ledger`,
        );
      }
      if (index >= size) {
        throw new LogEventNotFoundError(
          `Event ${eventId} is at index ${index}, not in the tree of size ${size}: ask for a larger tree`,
        );
      }
      const read = tileReader(tiles, newest.tilesSize).tile;
      const [hashes, rootHash] = await Promise.all([
        inclusionProof(index, size, read),
        size === 0 ? Promise.resolve(EMPTY_ROOT) : treeRoot(size, read),
      ]);
      return { eventId, index, treeSize: size, rootHash, hashes };
    },
  };
}
