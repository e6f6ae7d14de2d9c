import { join, resolve } from 'node:path';
import { hashEvent } from '../../../domain/hash-chain.ts';
import { parseCheckpoint } from '../../../domain/log/checkpoint.ts';
import { entryOfEventHash } from '../../../domain/log/entry-bundles.ts';
import { verifyConsistency, verifyInclusion } from '../../../domain/log/proof-checks.ts';
import { parseNote, verifyNote } from '../../../domain/log/signed-note.ts';
import { consistencyProof, inclusionProof, treeRoot } from '../../../domain/log/tile-tree.ts';
import { EMPTY_ROOT, leafHashOf } from '../../../domain/log/tree-hashing.ts';
import { formatVerifierKey, parseVerifierKey, SIGNATURE_TYPE } from '../../../domain/log/verifier-key.ts';
import { directoryTileStore } from '../../../functions/log/directory-tile-store.ts';
import { createLogIntegrator } from '../../../functions/log/integrator.ts';
import { backfillLog } from '../../../functions/log/log-backfill.ts';
import {
  DEFAULT_LOG_ORIGIN,
  logOriginSchema,
  logWitnessesSchema,
} from '../../../functions/log/log-config.ts';
import { LogStore } from '../../../functions/log/log-store.ts';
import type { TileStore } from '../../../functions/log/ports.ts';
import { tileReader } from '../../../functions/log/tile-reader.ts';
import { httpWitnesses } from '../../../functions/log/witness-client.ts';
import { AuditFeed } from '../../../functions/store/audit-feed.ts';
import { masterKeysHomeOf } from '../../local-config.ts';
import { claimLogDirectory } from '../../log/log-directory.ts';
import { openLogKey, readLogPublicKey } from '../../log-key-file.ts';
import { CommandFailure, EXIT, InterruptedError } from '../cli-errors.ts';
import type { CommandContext } from '../command-context.ts';
import { writeText } from '../write-text.ts';

/** The log of the ledger the command works on: its table, and the directory its tiles are written to. */
function logOf(context: CommandContext, command: string) {
  const target = context.target;
  if (target === undefined)
    throw new CommandFailure(`log ${command} needs the tables of a ledger to work on.`);
  if (target.via === 'aws') {
    throw new CommandFailure(
      "On AWS the log's tiles and checkpoint are in the stack's bucket and its key is in KMS: read them at " +
        '`GET /log/checkpoint` and `GET /log/proof/...` of the API. This command works on a local runtime or ' +
        'DYNAMODB_ENDPOINT with LOG_DIR.',
    );
  }
  const dataDir = target.dataDir ?? resolve(target.env.LEDGER_DATA_DIR || '.ledger-data');
  const directory = target.env.LOG_DIR ? resolve(target.env.LOG_DIR) : join(dataDir, 'log');
  return {
    target,
    dataDir,
    directory,
    store: new LogStore({ documents: target.clients.documents, tableName: target.tables.log }),
    tiles: directoryTileStore(directory),
  };
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The newest published checkpoint, or a failure that says there is none yet. */
async function newestCheckpoint(store: LogStore) {
  const state = await store.state();
  if (state.checkpoint === undefined) {
    throw new CommandFailure(
      'The log has published no checkpoint yet: start the runtime (it integrates as events come) or run `npx ledger log backfill`.',
    );
  }
  return { state, checkpoint: state.checkpoint };
}

/** The root of the tree of `size`: from its published checkpoint when there is one, else from the tiles. */
async function rootAt(store: LogStore, tiles: TileStore, size: number, tilesSize: number) {
  const published = await store.checkpoint(size);
  if (published !== undefined) {
    return { root: parseCheckpoint(parseNote(published.note).text).root, note: published.note };
  }
  return { root: size === 0 ? EMPTY_ROOT : await treeRoot(size, tileReader(tiles, tilesSize).tile) };
}

function refuseBeyond(size: number, newest: number, what: string) {
  if (size > newest) {
    throw new CommandFailure(
      `${what} ${size} is above the newest checkpoint of the log, of size ${newest}.`,
      EXIT.usage,
    );
  }
}

type LogTarget = ReturnType<typeof logOf>;

/** The log's origin and witnesses as the target's environment names them, read strictly. */
function logSettingsOf({ target }: LogTarget) {
  const origin = logOriginSchema.safeParse(target.env.LOG_ORIGIN || DEFAULT_LOG_ORIGIN);
  if (!origin.success) {
    throw new CommandFailure(`LOG_ORIGIN: ${origin.error.issues[0]?.message}`, EXIT.usage);
  }
  const witnesses = logWitnessesSchema.safeParse(target.env.LOG_WITNESSES || '');
  if (!witnesses.success) {
    throw new CommandFailure(`LOG_WITNESSES: ${witnesses.error.issues[0]?.message}`, EXIT.usage);
  }
  return { origin: origin.data, witnesses: witnesses.data };
}

/** Where the target keeps the log's key, as its environment says. */
function keyLocationOf({ target, dataDir }: LogTarget) {
  return {
    keyFile: target.env.LOG_KEY_FILE ? resolve(target.env.LOG_KEY_FILE) : undefined,
    masterKeysHome: masterKeysHomeOf(target.env),
    dataDir,
  };
}

/** The log's origin, key (made if missing: the command signs) and witnesses. */
async function logConfigOf(log: LogTarget) {
  const { origin, witnesses } = logSettingsOf(log);
  const signer = await openLogKey({ name: origin, ...keyLocationOf(log) });
  return { signer, witnesses };
}

/**
 * What the note's signatures say, checked here rather than taken from the table: whether the log's own key
 * signed it, and which of the configured witnesses' cosignatures verify.
 */
function signersInWords(
  note: string,
  logKey: string | undefined,
  keyFile: string | undefined,
  witnessKeys: readonly string[],
): string {
  const parsed = parseNote(note);
  const log = logKey === undefined ? undefined : parseVerifierKey(logKey);
  const witnesses = witnessKeys.map(parseVerifierKey);
  const { verified, failed } = verifyNote(parsed, log === undefined ? witnesses : [log, ...witnesses]);
  const signed =
    log === undefined
      ? `The log's key is not on this machine${keyFile ? ` (${keyFile})` : ''}, so its signature was not checked`
      : verified.includes(log)
        ? `Signed by ${log.name}`
        : failed.includes(log)
          ? `NOT signed by ${log.name}: its signature does not verify with the key in LOG_KEY_FILE`
          : `NOT signed by ${log.name}: no signature of the key in LOG_KEY_FILE`;
  const cosigned = witnesses.filter((key) => verified.includes(key)).map((key) => key.name);
  const broken = witnesses.filter((key) => failed.includes(key)).map((key) => key.name);
  const plural = witnesses.length === 1 ? 'witness' : 'witnesses';
  return (
    `${signed}; cosigned by ${cosigned.length} of ${witnesses.length} ${plural} in LOG_WITNESSES` +
    (cosigned.length > 0 ? ` (${cosigned.join(', ')})` : '') +
    (broken.length > 0 ? `; a cosignature that does NOT verify: ${broken.join(', ')}` : '') +
    '.\n'
  );
}

/**
 * `ledger log checkpoint`: prints the newest checkpoint, signed, with its cosignatures, as it is served; then,
 * on stderr, who signed and cosigned it, verified against the log's key and LOG_WITNESSES.
 */
export async function runLogCheckpoint(context: CommandContext): Promise<{ exitCode: number }> {
  const log = logOf(context, 'checkpoint');
  const { checkpoint } = await newestCheckpoint(log.store);
  await writeText(context.stdout, checkpoint.note);
  // Only read: a command that checks what the log signed must not make a key where there was none.
  const { origin, witnesses } = logSettingsOf(log);
  const { file, publicKey } = await readLogPublicKey(keyLocationOf(log));
  const logKey = publicKey && formatVerifierKey(origin, SIGNATURE_TYPE.ed25519, publicKey);
  await writeText(
    context.stderr,
    signersInWords(
      checkpoint.note,
      logKey,
      file,
      witnesses.map((witness) => witness.verifierKey),
    ),
  );
  return { exitCode: EXIT.ok };
}

/**
 * `ledger log prove EVENT_ID [--size N]`: the inclusion proof of an event in the tree of size N (the newest
 * checkpoint's by default), printed as JSON, and checked: the stored event's hash is recomputed from its
 * fields, and the proof must lead from that hash's leaf to the root. Exits 1 when either fails.
 */
export async function runLogProve(
  context: CommandContext,
  options: { readonly eventId: string; readonly size?: number },
): Promise<{ exitCode: number }> {
  const { store, tiles } = logOf(context, 'prove');
  const { state, checkpoint } = await newestCheckpoint(store);
  const size = options.size ?? checkpoint.size;
  refuseBeyond(size, checkpoint.size, 'The size');
  const index = await store.indexOf(options.eventId);
  if (index === undefined) {
    throw new CommandFailure(`The log has not taken in event ${options.eventId} (yet, or at all).`);
  }
  if (index >= size) {
    throw new CommandFailure(
      `Event ${options.eventId} is at index ${index}, not in the tree of size ${size}.`,
    );
  }
  const guard = (await context.ledger.findGuards([options.eventId])).get(options.eventId);
  const event = guard && (await context.ledger.eventAt(guard.caseId, guard.eventVersion));
  if (event === undefined) {
    throw new CommandFailure(`The log holds event ${options.eventId}, but the ledger no longer does.`);
  }
  const { hash, ...fields } = event;
  const eventHashHolds = hashEvent(fields) === hash;
  const hashes = await inclusionProof(index, size, tileReader(tiles, state.tilesSize).tile);
  const { root, note } = await rootAt(store, tiles, size, state.tilesSize);
  let inclusionHolds = false;
  try {
    inclusionHolds = verifyInclusion(leafHashOf(entryOfEventHash(hash)), index, size, hashes, root);
  } catch {
    inclusionHolds = false;
  }
  const ok = eventHashHolds && inclusionHolds;
  await writeText(
    context.stdout,
    `${JSON.stringify(
      {
        eventId: options.eventId,
        caseId: event.streamId,
        version: event.version,
        index,
        treeSize: size,
        rootHash: base64(root),
        hashes: hashes.map(base64),
        ...(note !== undefined && { checkpoint: note }),
        checks: { eventHashHolds, inclusionHolds },
      },
      null,
      2,
    )}\n`,
  );
  await writeText(
    context.stderr,
    ok
      ? `Event ${options.eventId} is leaf ${index} of the tree of size ${size}: the proof checks.\n`
      : `Event ${options.eventId} does NOT check: ${eventHashHolds ? '' : 'its stored hash is not the hash of its fields; '}${inclusionHolds ? '' : 'the proof does not lead to the root'}.\n`,
  );
  return { exitCode: ok ? EXIT.ok : EXIT.failed };
}

/**
 * `ledger log consistency FROM TO`: the proof that the tree of size TO extends the tree of size FROM, printed
 * as JSON and checked against the two roots. Exits 1 when it does not check.
 */
export async function runLogConsistency(
  context: CommandContext,
  options: { readonly from: number; readonly to: number },
): Promise<{ exitCode: number }> {
  const { store, tiles } = logOf(context, 'consistency');
  if (options.from > options.to) {
    throw new CommandFailure(`FROM (${options.from}) is above TO (${options.to}).`, EXIT.usage);
  }
  const { state, checkpoint } = await newestCheckpoint(store);
  refuseBeyond(options.to, checkpoint.size, 'TO');
  const hashes = await consistencyProof(options.from, options.to, tileReader(tiles, state.tilesSize).tile);
  const [older, newer] = await Promise.all([
    rootAt(store, tiles, options.from, state.tilesSize),
    rootAt(store, tiles, options.to, state.tilesSize),
  ]);
  const holds = verifyConsistency(options.from, options.to, hashes, older.root, newer.root);
  await writeText(
    context.stdout,
    `${JSON.stringify(
      {
        from: options.from,
        to: options.to,
        fromRoot: base64(older.root),
        toRoot: base64(newer.root),
        hashes: hashes.map(base64),
        holds,
      },
      null,
      2,
    )}\n`,
  );
  await writeText(
    context.stderr,
    holds
      ? `The tree of size ${options.to} extends the tree of size ${options.from}: the proof checks.\n`
      : `The proof from ${options.from} to ${options.to} does NOT check.\n`,
  );
  return { exitCode: holds ? EXIT.ok : EXIT.failed };
}

/**
 * `ledger log backfill`: offers every event of the audit feed, in recorded order, to the log, which takes in
 * those it lacks, and publishes a checkpoint. Resumes where a stopped backfill left off; safe beside a running
 * runtime (the two race on the log's state and one history comes out).
 */
export async function runLogBackfill(context: CommandContext): Promise<{ exitCode: number }> {
  const log = logOf(context, 'backfill');
  const { target, store, tiles, directory } = log;
  const { signer, witnesses } = await logConfigOf(log);
  await claimLogDirectory(directory, store);
  const integrator = createLogIntegrator({
    store,
    tiles,
    signer,
    ...(witnesses.length > 0 && { witnesses: httpWitnesses(witnesses) }),
    clock: context.clock,
  });
  await writeText(context.stderr, `Backfilling the log in ${directory} from the audit feed.\n`);
  const progress = context.progress({ label: 'read', unit: 'events' });
  let result: Awaited<ReturnType<typeof backfillLog>>;
  try {
    result = await backfillLog({
      audit: new AuditFeed({ documents: target.clients.documents, tableName: target.tables.ledger }),
      store,
      integrator,
      clock: context.clock,
      onProgress: (read) => progress.tick(read),
      stopRequested: () => context.signal?.aborted === true,
    });
  } finally {
    progress.done();
  }
  await writeText(
    context.stderr,
    `${result.read} event(s) read, ${result.integrated} taken into the log; the newest checkpoint has size ${result.size}.\n`,
  );
  if (result.stopped) throw new InterruptedError();
  return { exitCode: EXIT.ok };
}
