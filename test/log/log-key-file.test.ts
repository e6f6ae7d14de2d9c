import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { signNote } from '../../domain/log/signed-note.ts';
import { formatVerifierKey } from '../../domain/log/verifier-key.ts';
import {
  KeyFileError,
  LOG_KEY_FILE_NAME,
  loadOrCreateEd25519KeyFile,
  openLogKey,
} from '../../local/log-key-file.ts';
import { masterKeyDirOf, openMasterKeyRing } from '../../local/master-key-file.ts';
import { signedBy } from '../support/c2sp-note-checker.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledger-log-key-'));
});

const TEXT = 'localhost/detention-ledger\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n';

async function signsVerifiably(
  name: string,
  key: { publicKey: Uint8Array; sign: (m: Uint8Array) => Promise<Uint8Array> },
) {
  const signature = await signNote(TEXT, { name, ...key });
  const line = `— ${name} ${Buffer.concat([signature.keyId, signature.signature]).toString('base64')}\n`;
  return signedBy(`${TEXT}\n${line}`, formatVerifierKey(name, 0x01, key.publicKey));
}

describe('loadOrCreateEd25519KeyFile', () => {
  it('makes a PKCS#8 PEM key file readable by this user alone, in a folder of its own, then reuses it', async () => {
    const file = join(dir, 'keys', 'witness.pem');
    const made = await loadOrCreateEd25519KeyFile(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
    const pem = await readFile(file, 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const again = await loadOrCreateEd25519KeyFile(file);
    expect(again.publicKey).toEqual(made.publicKey);
    expect(await readFile(file, 'utf8')).toBe(pem);
    expect(made.publicKey).toHaveLength(32);
    expect(await signsVerifiably('witness.example.org/w1', again)).toBe(true);
  });

  it('ends with one key when two starts make the file at once', async () => {
    const file = join(dir, 'race.pem');
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => loadOrCreateEd25519KeyFile(file)));
    expect(b!.publicKey).toEqual(a!.publicKey);
    expect(c!.publicKey).toEqual(a!.publicKey);
  });

  it('refuses a key file inside the data directory, and makes none there', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    for (const file of [join(dataDir, 'log.pem'), join(dataDir, 'deep', 'er', 'log.pem'), dataDir]) {
      await expect(loadOrCreateEd25519KeyFile(file, { dataDir })).rejects.toThrow(KeyFileError);
      await expect(loadOrCreateEd25519KeyFile(file, { dataDir })).rejects.toThrow(
        /inside the data directory/,
      );
    }
    await expect(stat(join(dataDir, 'log.pem'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a key file that reaches the data directory through a symbolic link', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    await symlink(dataDir, join(dir, 'looks-elsewhere'));
    await expect(
      loadOrCreateEd25519KeyFile(join(dir, 'looks-elsewhere', 'log.pem'), { dataDir }),
    ).rejects.toThrow(/inside the data directory/);
    // …and a data directory named through a link.
    await expect(
      loadOrCreateEd25519KeyFile(join(dataDir, 'log.pem'), { dataDir: join(dir, 'looks-elsewhere') }),
    ).rejects.toThrow(/inside the data directory/);
  });

  it('accepts a key file beside the data directory whose name only starts the same', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    await expect(
      loadOrCreateEd25519KeyFile(join(dir, 'data-keys', 'log.pem'), { dataDir }),
    ).resolves.toBeDefined();
  });

  it('says in plain words that a damaged file is not a key, and leaves it as it was', async () => {
    const file = join(dir, 'damaged.pem');
    const damaged = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n';
    await writeFile(file, damaged, { mode: 0o600 });
    await expect(loadOrCreateEd25519KeyFile(file)).rejects.toThrow(KeyFileError);
    await expect(loadOrCreateEd25519KeyFile(file)).rejects.toThrow(/does not hold a private key.*Restore it/);
    expect(await readFile(file, 'utf8')).toBe(damaged);
  });

  it('refuses an empty file, and a private key that is not Ed25519', async () => {
    await writeFile(join(dir, 'empty.pem'), '');
    await expect(loadOrCreateEd25519KeyFile(join(dir, 'empty.pem'))).rejects.toThrow(
      /does not hold a private key/,
    );
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(join(dir, 'ec.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }));
    await expect(loadOrCreateEd25519KeyFile(join(dir, 'ec.pem'))).rejects.toThrow(
      /holds a ec key, not an Ed25519/,
    );
  });

  it('says a folder in the key file’s place is a folder', async () => {
    await mkdir(join(dir, 'folder.pem'));
    await expect(loadOrCreateEd25519KeyFile(join(dir, 'folder.pem'))).rejects.toThrow(/it is a folder/);
  });

  it.skipIf(process.getuid?.() === 0)('says a file this user may not read cannot be read', async () => {
    const file = join(dir, 'locked.pem');
    await loadOrCreateEd25519KeyFile(file);
    await chmod(file, 0o000);
    await expect(loadOrCreateEd25519KeyFile(file)).rejects.toThrow(/this user may not read it/);
  });
});

describe('openLogKey', () => {
  const keysHome = () => join(process.env.XDG_CONFIG_HOME!, 'detention-ledger', 'master-keys');

  it('keeps the key beside the data directory’s master keys, which still open', async () => {
    const dataDir = join(dir, 'data');
    const signer = await openLogKey({
      name: 'localhost/detention-ledger',
      masterKeysHome: keysHome(),
      dataDir,
    });
    const keyDir = await masterKeyDirOf(keysHome(), dataDir);
    expect(signer.file).toBe(join(keyDir, LOG_KEY_FILE_NAME));
    expect((await stat(signer.file!)).mode & 0o777).toBe(0o600);
    const ring = await openMasterKeyRing({ keyDir, dataDir });
    expect(ring.keys()).toHaveLength(1);
    const again = await openLogKey({
      name: 'localhost/detention-ledger',
      masterKeysHome: keysHome(),
      dataDir,
    });
    expect(await again.publicKey()).toEqual(await signer.publicKey());
    expect(
      await signsVerifiably(signer.name, { publicKey: await signer.publicKey(), sign: signer.sign }),
    ).toBe(true);
  });

  it('gives each data directory, a log of its own, its own key', async () => {
    const a = await openLogKey({ name: 'o', masterKeysHome: keysHome(), dataDir: join(dir, 'a') });
    const b = await openLogKey({ name: 'o', masterKeysHome: keysHome(), dataDir: join(dir, 'b') });
    expect(await a.publicKey()).not.toEqual(await b.publicKey());
  });

  it('uses LOG_KEY_FILE when given, and refuses one inside the data directory', async () => {
    const dataDir = join(dir, 'data');
    const keyFile = join(dir, 'elsewhere', 'log.pem');
    const signer = await openLogKey({ name: 'o', keyFile, masterKeysHome: keysHome(), dataDir });
    expect(signer.file).toBe(keyFile);
    expect((await loadOrCreateEd25519KeyFile(keyFile)).publicKey).toEqual(await signer.publicKey());
    await expect(
      openLogKey({ name: 'o', keyFile: join(dataDir, 'log.pem'), masterKeysHome: keysHome(), dataDir }),
    ).rejects.toThrow(/inside the data directory/);
  });

  it('takes an empty LOG_KEY_FILE for an unset one', async () => {
    const dataDir = join(dir, 'data');
    const signer = await openLogKey({ name: 'o', keyFile: '', masterKeysHome: keysHome(), dataDir });
    expect(signer.file).toBe(join(await masterKeyDirOf(keysHome(), dataDir), LOG_KEY_FILE_NAME));
  });

  it('in memory, signs with a key of this run only', async () => {
    const signer = await openLogKey({ name: 'o' });
    expect(signer.file).toBeUndefined();
    expect(await signsVerifiably('o', { publicKey: await signer.publicKey(), sign: signer.sign })).toBe(true);
    expect(await (await openLogKey({ name: 'o' })).publicKey()).not.toEqual(await signer.publicKey());
  });
});
