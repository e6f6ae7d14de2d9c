import { checkpointText } from '../../domain/log/checkpoint.ts';
import { entryOfEventHash } from '../../domain/log/entry-bundles.ts';
import { formatNote, signNote } from '../../domain/log/signed-note.ts';
import { entryBundlePath, tilePath } from '../../domain/log/tile-paths.ts';
import { type AppendedTree, appendEntries, consistencyProof } from '../../domain/log/tile-tree.ts';
import { EMPTY_ROOT } from '../../domain/log/tree-hashing.ts';
import { type LogLeaf, type LogState, type LogStore, MAX_LEAVES_PER_COMMIT } from './log-store.ts';
import type { NoteSigner, TileStore, Witnesses } from './ports.ts';
import { tileReader } from './tile-reader.ts';

/** An event offered to the log: its id (one index per id, ever) and its stored hash, the entry. */
export interface LogCandidate {
  readonly eventId: string;
  readonly hash: string;
}

export interface LogIntegratorDeps {
  readonly store: LogStore;
  readonly tiles: TileStore;
  readonly signer: NoteSigner;
  /** Who cosigns each checkpoint; none by default. */
  readonly witnesses?: Witnesses;
  readonly clock: () => Date;
  /** Lost races one step retries before it gives up (default 20). */
  readonly maxAttempts?: number;
  readonly logger?: {
    info(message: string, extra?: object): void;
    warn(message: string, extra?: object): void;
  };
}

export interface IntegrationResult {
  /** How many of the candidates this call gave an index (the others had one already). */
  readonly integrated: number;
  /** Candidates refused for a hash that cannot be an entry: they never get an index. */
  readonly refused: readonly LogCandidate[];
  /** The size of the newest checkpoint published, after this call. */
  readonly size: number;
}

/** Another integrator kept winning the race for the log's state: nothing of this call is half-done. */
export class LogBusyError extends Error {
  constructor(attempts: number) {
    super(`the log's state moved under this integrator ${attempts} times in a row; try again`);
    this.name = 'LogBusyError';
  }
}

/** The log's state disagrees with its own leaves: nothing more is published until someone looks. */
export class LogCorruptError extends Error {
  constructor(detail: string) {
    super(`the transparency log is inconsistent: ${detail}`);
    this.name = 'LogCorruptError';
  }
}

const HASH_HEX = /^[0-9a-f]{64}$/;
/** Leaves rebuilt into tiles per round when catching up after a crash. */
const REBUILD_CHUNK = 4096;
/** Rounds the published checkpoint file is rewritten while racing writers keep moving it. */
const CHECKPOINT_FILE_ROUNDS = 5;

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined) {
  return a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

/**
 * The log's integrator (docs/log.md): gives each new event the next index, commits the tree's new size and
 * root by a compare-and-swap on the state item, writes the tiles and bundles, and only then signs and publishes
 * a checkpoint. Every step starts by finishing whatever a crashed step left (tiles behind the committed size, a
 * committed size without a checkpoint), so nothing half-done is ever published and no second history can be.
 */
export function createLogIntegrator(deps: LogIntegratorDeps) {
  const { store, tiles } = deps;
  const maxAttempts = deps.maxAttempts ?? 20;
  let publicKey: Promise<Uint8Array> | undefined;

  async function writeTree(tree: Pick<AppendedTree, 'tiles' | 'bundles'>) {
    // Bundles and tiles are derived from the committed leaves, so any order and any repeat is harmless.
    await Promise.all([
      ...tree.bundles.map((bundle) =>
        tiles.write(entryBundlePath({ index: bundle.index, width: bundle.width }), bundle.bytes),
      ),
      ...tree.tiles.map((tile) => tiles.write(tilePath(tile.tile), tile.bytes)),
    ]);
  }

  /** Writes tiles and bundles for `[tilesSize, size)` from the stored leaves; returns the state after. */
  async function catchUpTiles(state: LogState): Promise<LogState> {
    let at = state.tilesSize;
    let root: Uint8Array | undefined;
    while (at < state.size) {
      const to = Math.min(state.size, at + REBUILD_CHUNK);
      const leaves = await store.leaves(at, to);
      const tree = await appendEntries(
        at,
        leaves.map((leaf) => entryOfEventHash(leaf.hash)),
        tileReader(tiles, at),
      );
      await writeTree(tree);
      root = tree.root;
      at = to;
    }
    if (!sameBytes(root, state.root)) {
      throw new LogCorruptError(`the leaves up to ${state.size} do not give the committed root`);
    }
    await store.moveTilesSize(state.size);
    return store.state();
  }

  /** The state with its tiles written up to its size, catching up as often as racing commits move it on. */
  async function currentState(): Promise<LogState> {
    let state = await store.state();
    for (let attempt = 1; state.tilesSize < state.size; attempt++) {
      if (attempt > maxAttempts) throw new LogBusyError(maxAttempts);
      state = await catchUpTiles(state);
    }
    return state;
  }

  /** Commits one batch of at most 49 new events, retrying lost races; returns how many it gave an index. */
  async function commitBatch(batch: readonly LogCandidate[]): Promise<number> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const state = await currentState();
      const held = await store.indexesOf(batch.map((candidate) => candidate.eventId));
      const fresh = batch.filter((candidate) => !held.has(candidate.eventId));
      if (fresh.length === 0) return 0;
      const tree = await appendEntries(
        state.size,
        fresh.map((candidate) => entryOfEventHash(candidate.hash)),
        tileReader(tiles, state.size),
      );
      const leaves: LogLeaf[] = fresh.map((candidate, offset) => ({
        index: state.size + offset,
        eventId: candidate.eventId,
        hash: candidate.hash,
      }));
      if (await store.commit(state, { size: tree.size, root: tree.root }, leaves)) {
        await writeTree(tree);
        await store.moveTilesSize(tree.size);
        return fresh.length;
      }
    }
    throw new LogBusyError(maxAttempts);
  }

  /** Makes the tile store's `checkpoint` the state's newest, while racing publishers keep moving it. */
  async function syncCheckpointFile(): Promise<void> {
    for (let round = 0; round < CHECKPOINT_FILE_ROUNDS; round++) {
      const newest = (await store.state()).checkpoint;
      if (newest === undefined) return;
      const served = await tiles.read('checkpoint');
      if (served !== undefined && Buffer.from(served).toString('utf8') === newest.note) return;
      await tiles.write('checkpoint', new TextEncoder().encode(newest.note));
    }
  }

  /** Signs, has cosigned and publishes the checkpoint of the committed size, if it is not published yet. */
  async function publish(): Promise<number> {
    const state = await currentState();
    if (state.checkpoint === undefined || state.checkpoint.size < state.size) {
      publicKey ??= deps.signer.publicKey();
      const text = checkpointText({
        origin: deps.signer.name,
        size: state.size,
        root: state.root ?? EMPTY_ROOT,
      });
      const signature = await signNote(text, {
        name: deps.signer.name,
        publicKey: await publicKey,
        sign: (message) => deps.signer.sign(message),
      });
      const signed = formatNote({ text, signatures: [signature] });
      const reader = tileReader(tiles, state.size);
      const gathered = deps.witnesses
        ? await deps.witnesses.gather({
            checkpoint: signed,
            size: state.size,
            // A witness ahead of this size (another integrator published past it) gets no proof, and refuses.
            proofFrom: async (oldSize) =>
              oldSize > state.size ? [] : consistencyProof(oldSize, state.size, reader.tile),
          })
        : { cosignatures: [], outcomes: [] };
      for (const outcome of gathered.outcomes.filter((o) => !o.ok)) {
        deps.logger?.warn('a witness did not cosign', { size: state.size, ...outcome });
      }
      await store.publish({
        size: state.size,
        note: signed + gathered.cosignatures.join(''),
        publishedAt: deps.clock().toISOString(),
        witnesses: gathered.outcomes,
      });
    }
    await syncCheckpointFile();
    return (await store.state()).checkpoint?.size ?? 0;
  }

  return {
    /**
     * Takes in the candidates the log does not hold yet, in the order given, 49 to a transaction, and publishes
     * a checkpoint of the result. Safe to call again with the same candidates, and concurrently from anywhere.
     */
    async integrate(candidates: readonly LogCandidate[]): Promise<IntegrationResult> {
      const seen = new Set<string>();
      const refused: LogCandidate[] = [];
      const wanted: LogCandidate[] = [];
      for (const candidate of candidates) {
        if (!HASH_HEX.test(candidate.hash) || candidate.eventId.length === 0) refused.push(candidate);
        else if (!seen.has(candidate.eventId)) {
          seen.add(candidate.eventId);
          wanted.push(candidate);
        }
      }
      let integrated = 0;
      for (let start = 0; start < wanted.length; start += MAX_LEAVES_PER_COMMIT) {
        integrated += await commitBatch(wanted.slice(start, start + MAX_LEAVES_PER_COMMIT));
      }
      return { integrated, refused, size: await publish() };
    },
    /** Finishes what a crashed step left and publishes the committed size: what a schedule runs. */
    publish,
  };
}

export type LogIntegrator = ReturnType<typeof createLogIntegrator>;
