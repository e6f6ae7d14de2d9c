import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { chmod, mkdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { SignMessage } from '../domain/log/signed-note.ts';
import type { NoteSigner } from '../functions/log/ports.ts';
import { LocalError } from './local-error.ts';
import { masterKeyDirOf, writeKeyFile } from './master-key-file.ts';

/** The log key's file in a data directory's key folder, beside its master keys. */
export const LOG_KEY_FILE_NAME = 'log-ed25519.pem';

/** A key file that cannot be used: unreadable, not an Ed25519 private key, or where it must not be. */
export class KeyFileError extends LocalError {
  readonly code = 'key_file_unusable';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KeyFileError';
  }
}

/** An Ed25519 key held in this process: its public key (RFC 8032, 32 bytes) and what signs with it. */
export interface Ed25519Key {
  readonly publicKey: Uint8Array;
  readonly sign: SignMessage;
}

function keyOf(privateKey: KeyObject): Ed25519Key {
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicKey = new Uint8Array(Buffer.from(x!, 'base64url'));
  return {
    publicKey,
    sign: async (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

/** The nearest existing folder of `path` with symbolic links resolved, and the rest of the path below it. */
async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(path) === path) throw error;
    return join(await realPathOf(dirname(path)), basename(path));
  }
}

/**
 * @throws {KeyFileError} when `file` is inside `dataDir` (links resolved): a copy of the data directory (a
 * backup, a synced folder, a stolen disk) would then carry the key that signs the log's history.
 */
async function refuseInside(file: string, dataDir: string): Promise<void> {
  const inside = relative(await realPathOf(resolve(dataDir)), await realPathOf(resolve(file)));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new KeyFileError(
      `${file} is inside the data directory ${dataDir}: a key there travels with every copy of the data. Keep it elsewhere (LOG_KEY_FILE), or leave LOG_KEY_FILE unset to use the user's configuration folder.`,
    );
  }
}

async function readKeyFile(file: string): Promise<Ed25519Key | undefined> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const why = code === 'EACCES' ? 'this user may not read it' : code === 'EISDIR' ? 'it is a folder' : code;
    throw new KeyFileError(`${file} cannot be read as a key file: ${why}.`, { cause: error });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new KeyFileError(
      `${file} does not hold a private key in PEM (PKCS#8): it is damaged or not a key file. Restore it from a backup; a new key would sign under a different key ID, and whoever checks against the old one would stop trusting what is signed.`,
      { cause: error },
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new KeyFileError(
      `${file} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not an Ed25519 one.`,
    );
  }
  return keyOf(privateKey);
}

/**
 * An Ed25519 private key kept in a PEM (PKCS#8) file, readable by this user alone (0600, its folder 0700): read
 * if there, made with node:crypto if not. Two processes starting at once end with the same key: the file is
 * written whole and linked into place, never overwritten. Used for the log's key and a witness's own.
 *
 * @throws {KeyFileError} in plain words when the file cannot be read, is not an Ed25519 key, or is inside
 * `options.dataDir`.
 */
export async function loadOrCreateEd25519KeyFile(
  path: string,
  options: { readonly dataDir?: string | undefined } = {},
): Promise<Ed25519Key> {
  const file = resolve(path);
  if (options.dataDir !== undefined) await refuseInside(file, options.dataDir);
  const kept = await readKeyFile(file);
  if (kept) return kept;
  const dir = dirname(file);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await writeKeyFile(dir, basename(file), pem);
    await chmod(file, 0o600);
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    throw new KeyFileError(`${file} could not be made: ${(error as Error).message}`, { cause: error });
  }
  const made = await readKeyFile(file);
  if (!made) throw new KeyFileError(`${file} vanished as it was made: is something else removing it?`);
  return made;
}

/**
 * The local log's key, as the port the integrator signs checkpoints with. `keyFile` is `LOG_KEY_FILE`; unset, the
 * key is kept beside the data directory's master keys under the user's configuration folder, so each data
 * directory, a log of its own, has its own key. In memory and with no `keyFile`, a key for this run only.
 *
 * @throws {KeyFileError} as {@link loadOrCreateEd25519KeyFile} does.
 */
export async function openLogKey(options: {
  /** The key name: the log's origin. */
  readonly name: string;
  readonly keyFile?: string | undefined;
  readonly masterKeysHome?: string | undefined;
  readonly dataDir?: string | undefined;
}): Promise<NoteSigner & { readonly file: string | undefined }> {
  const file = await logKeyFileOf(options);
  const key =
    file === undefined
      ? keyOf(generateKeyPairSync('ed25519').privateKey)
      : await loadOrCreateEd25519KeyFile(file, { dataDir: options.dataDir });
  return {
    name: options.name,
    file,
    publicKey: async () => key.publicKey,
    sign: key.sign,
  };
}

/** Where the log's key is kept: `LOG_KEY_FILE`, else beside the data directory's master keys; none in memory. */
async function logKeyFileOf(options: {
  readonly keyFile?: string | undefined;
  readonly masterKeysHome?: string | undefined;
  readonly dataDir?: string | undefined;
}): Promise<string | undefined> {
  // An empty LOG_KEY_FILE is an unset one, not the working directory.
  if (options.keyFile) return options.keyFile;
  return options.masterKeysHome !== undefined && options.dataDir !== undefined
    ? join(await masterKeyDirOf(options.masterKeysHome, options.dataDir), LOG_KEY_FILE_NAME)
    : undefined;
}

/**
 * The log key's public half when its file is already there, for commands that only check what the log signed:
 * unlike {@link openLogKey} it never makes a key, so such a command cannot leave one behind.
 *
 * @throws {KeyFileError} when the file is there but cannot be read as an Ed25519 key.
 */
export async function readLogPublicKey(options: {
  readonly keyFile?: string | undefined;
  readonly masterKeysHome?: string | undefined;
  readonly dataDir?: string | undefined;
}): Promise<{ readonly file: string | undefined; readonly publicKey: Uint8Array | undefined }> {
  const file = await logKeyFileOf(options);
  const key = file === undefined ? undefined : await readKeyFile(resolve(file));
  return { file, publicKey: key?.publicKey };
}
