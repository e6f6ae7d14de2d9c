import {
  GetPublicKeyCommand,
  type GetPublicKeyCommandOutput,
  type KMSClient,
  SignCommand,
  type SignCommandInput,
} from '@aws-sdk/client-kms';
import type { NoteSigner } from './ports.ts';

/**
 * The log's key on AWS: a KMS key of spec ECC_NIST_EDWARDS25519 that signs checkpoints with pure Ed25519
 * (ED25519_SHA_512 over the RAW message, as signed-note type 0x01 requires), so the private key never leaves KMS
 * and every signature shows in CloudTrail.
 */

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): SEQUENCE, the OID 1.3.101.112, BIT STRING. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** KMS signs a RAW message of at most 4096 bytes; a checkpoint's text is under 200. */
export const KMS_MAX_RAW_MESSAGE_BYTES = 4096;

/**
 * The 32-byte RFC 8032 public key inside an Ed25519 SubjectPublicKeyInfo, as KMS GetPublicKey answers it.
 *
 * @throws {Error} when the DER is not exactly an Ed25519 SPKI.
 */
export function ed25519PublicKeyFromSpki(spki: Uint8Array): Uint8Array {
  const der = Buffer.from(spki);
  if (der.length !== ED25519_SPKI_PREFIX.length + 32 || !der.subarray(0, 12).equals(ED25519_SPKI_PREFIX)) {
    throw new Error('the public key is not an Ed25519 SubjectPublicKeyInfo (RFC 8410) of 44 bytes');
  }
  return new Uint8Array(der.subarray(12));
}

/**
 * The raw Ed25519 public key of a GetPublicKey answer, refusing a key that could not make signed-note type 0x01
 * signatures: another key spec, or a key not for signing with ED25519_SHA_512.
 */
export function noteKeyFromGetPublicKey(keyId: string, output: GetPublicKeyCommandOutput): Uint8Array {
  if (output.KeySpec !== 'ECC_NIST_EDWARDS25519') {
    throw new Error(`the KMS key ${keyId} is of spec ${output.KeySpec}, not ECC_NIST_EDWARDS25519`);
  }
  if (output.KeyUsage !== undefined && output.KeyUsage !== 'SIGN_VERIFY') {
    throw new Error(`the KMS key ${keyId} is for ${output.KeyUsage}, not SIGN_VERIFY`);
  }
  if (output.SigningAlgorithms !== undefined && !output.SigningAlgorithms.includes('ED25519_SHA_512')) {
    throw new Error(`the KMS key ${keyId} does not sign with ED25519_SHA_512`);
  }
  if (!output.PublicKey) throw new Error(`KMS answered no public key for ${keyId}`);
  return ed25519PublicKeyFromSpki(output.PublicKey);
}

/** The Sign request: pure Ed25519 over the message itself (RAW), not over a digest of it (ED25519_PH_SHA_512). */
export function kmsSignInput(keyId: string, message: Uint8Array): SignCommandInput {
  if (message.length > KMS_MAX_RAW_MESSAGE_BYTES) {
    throw new Error(
      `KMS signs at most ${KMS_MAX_RAW_MESSAGE_BYTES} bytes, this message is ${message.length}`,
    );
  }
  return { KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' };
}

/** The log's signer over a KMS key. The public key is asked for once and kept; a failed ask is asked again. */
export function kmsNoteSigner(options: {
  readonly kms: KMSClient;
  readonly keyId: string;
  /** The key name: the log's origin. */
  readonly name: string;
}): NoteSigner {
  const { kms, keyId, name } = options;
  let publicKey: Promise<Uint8Array> | undefined;
  return {
    name,
    publicKey() {
      publicKey ??= kms
        .send(new GetPublicKeyCommand({ KeyId: keyId }))
        .then((output) => noteKeyFromGetPublicKey(keyId, output))
        .catch((error: unknown) => {
          // Not kept: a key fixed in KMS, or a network that is back, works at the next ask.
          publicKey = undefined;
          throw error;
        });
      return publicKey;
    },
    async sign(message) {
      const { Signature } = await kms.send(new SignCommand(kmsSignInput(keyId, message)));
      if (Signature?.length !== 64) {
        throw new Error(
          `KMS answered ${Signature?.length ?? 'no'} bytes for ${keyId}, not an Ed25519 signature`,
        );
      }
      return new Uint8Array(Signature);
    },
  };
}
