import { generateKeyPairSync } from 'node:crypto';
import { type GetPublicKeyCommandOutput, KMSClient } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointText } from '../../domain/log/checkpoint.ts';
import { formatNote, signNote } from '../../domain/log/signed-note.ts';
import { formatVerifierKey } from '../../domain/log/verifier-key.ts';
import {
  ed25519PublicKeyFromSpki,
  kmsNoteSigner,
  kmsSignInput,
  noteKeyFromGetPublicKey,
} from '../../functions/log/kms-note-signer.ts';
import { signedBy } from '../support/c2sp-note-checker.ts';
import { type KmsStandIn, startKmsStandIn } from '../support/kms-stand-in.ts';

const ORIGIN = 'log.example.org/ledger';

function spkiAndRaw() {
  const { publicKey } = generateKeyPairSync('ed25519');
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
  return { spki, raw };
}

describe('the pure parts', () => {
  it('takes the 32 raw bytes out of an Ed25519 SubjectPublicKeyInfo', () => {
    const { spki, raw } = spkiAndRaw();
    expect(ed25519PublicKeyFromSpki(spki)).toEqual(raw);
  });

  it('refuses DER that is not an Ed25519 SubjectPublicKeyInfo', () => {
    const { spki } = spkiAndRaw();
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      format: 'der',
      type: 'spki',
    });
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' });
    for (const der of [
      p256,
      x25519,
      spki.subarray(0, 43),
      Buffer.concat([spki, Buffer.from([0])]),
      new Uint8Array(0),
    ]) {
      expect(() => ed25519PublicKeyFromSpki(new Uint8Array(der))).toThrow(
        /not an Ed25519 SubjectPublicKeyInfo/,
      );
    }
  });

  it('asks KMS for pure Ed25519 over the message itself', () => {
    const message = new TextEncoder().encode('a\n');
    expect(kmsSignInput('alias/log', message)).toEqual({
      KeyId: 'alias/log',
      Message: message,
      MessageType: 'RAW',
      SigningAlgorithm: 'ED25519_SHA_512',
    });
    expect(() => kmsSignInput('alias/log', new Uint8Array(4097))).toThrow(/at most 4096/);
  });

  it('refuses a KMS key of another spec, usage or algorithm', () => {
    const { spki } = spkiAndRaw();
    const good: GetPublicKeyCommandOutput = {
      KeySpec: 'ECC_NIST_EDWARDS25519',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ED25519_SHA_512'],
      PublicKey: spki,
      $metadata: {},
    };
    expect(noteKeyFromGetPublicKey('k', good)).toHaveLength(32);
    expect(() => noteKeyFromGetPublicKey('k', { ...good, KeySpec: 'ECC_NIST_P256' })).toThrow(
      /ECC_NIST_P256/,
    );
    expect(() => noteKeyFromGetPublicKey('k', { ...good, KeyUsage: 'ENCRYPT_DECRYPT' })).toThrow(
      /SIGN_VERIFY/,
    );
    expect(() =>
      noteKeyFromGetPublicKey('k', { ...good, SigningAlgorithms: ['ED25519_PH_SHA_512'] }),
    ).toThrow(/ED25519_SHA_512/);
    expect(() => noteKeyFromGetPublicKey('k', { ...good, PublicKey: undefined })).toThrow(/no public key/);
  });
});

describe('kmsNoteSigner over the real KMS client and a loopback KMS', () => {
  let kms: KmsStandIn | undefined;
  afterEach(async () => {
    await kms?.close();
    kms = undefined;
  });

  const clientOf = (standIn: KmsStandIn) =>
    new KMSClient({
      endpoint: standIn.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'stand-in-secret-access-key' },
      maxAttempts: 1,
    });

  it('signs a checkpoint that the independent checker verifies under the key KMS holds', async () => {
    kms = await startKmsStandIn();
    const signer = kmsNoteSigner({ kms: clientOf(kms), keyId: kms.keyId, name: ORIGIN });
    const publicKey = await signer.publicKey();
    const text = checkpointText({ origin: ORIGIN, size: 3, root: new Uint8Array(32).fill(1) });
    const signature = await signNote(text, { name: signer.name, publicKey, sign: (m) => signer.sign(m) });
    const note = formatNote({ text, signatures: [signature] });
    expect(signedBy(note, formatVerifierKey(ORIGIN, 0x01, publicKey))).toBe(true);
    const sign = kms.requests.find((r) => r.operation === 'Sign')!;
    expect(sign.body).toMatchObject({ MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' });
    expect(Buffer.from(String(sign.body.Message), 'base64').toString('utf8')).toBe(text);
  });

  it('asks for the public key once', async () => {
    kms = await startKmsStandIn();
    const signer = kmsNoteSigner({ kms: clientOf(kms), keyId: kms.keyId, name: ORIGIN });
    const [a, b] = await Promise.all([signer.publicKey(), signer.publicKey()]);
    expect(b).toEqual(a);
    await signer.publicKey();
    expect(kms.requests.filter((r) => r.operation === 'GetPublicKey')).toHaveLength(1);
  });

  it('refuses a key of another spec, and asks again next time', async () => {
    kms = await startKmsStandIn({ keySpec: 'ECC_NIST_P256' });
    const signer = kmsNoteSigner({ kms: clientOf(kms), keyId: kms.keyId, name: ORIGIN });
    await expect(signer.publicKey()).rejects.toThrow(/not ECC_NIST_EDWARDS25519/);
    await expect(signer.publicKey()).rejects.toThrow(/not ECC_NIST_EDWARDS25519/);
    expect(kms.requests.filter((r) => r.operation === 'GetPublicKey')).toHaveLength(2);
  });

  it('passes on what KMS refuses, such as an unknown key', async () => {
    kms = await startKmsStandIn();
    const signer = kmsNoteSigner({ kms: clientOf(kms), keyId: 'alias/missing', name: ORIGIN });
    await expect(signer.sign(new Uint8Array([1]))).rejects.toThrow(/no such key/);
    await expect(signer.publicKey()).rejects.toThrow(/no such key/);
  });
});
