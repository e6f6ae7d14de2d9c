import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type AwsJsonRequest, startAwsJsonStandIn } from './aws-json-stand-in.ts';

export interface KmsStandIn {
  /** `http://127.0.0.1:<port>`: give it to the SDK as the KMS endpoint. */
  readonly endpoint: string;
  /** The key's id, as its ARN. */
  readonly keyId: string;
  /** The requests KMS was sent, in order. */
  readonly requests: readonly AwsJsonRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server speaking the part of the KMS JSON protocol (`TrentService`) an Ed25519 signing key
 * answers: GetPublicKey (the SPKI DER) and Sign, which like KMS refuses anything but ED25519_SHA_512 over a RAW
 * message. It is a stand-in for AWS, not for code of ours; `keySpec` lets a test offer a key of another spec.
 */
export async function startKmsStandIn(options: { readonly keySpec?: string } = {}): Promise<KmsStandIn> {
  const keyId = 'arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  const { privateKey, publicKey } = generateKeyPairSync('ed25519') as {
    privateKey: KeyObject;
    publicKey: KeyObject;
  };
  const requests: AwsJsonRequest[] = [];
  const invalid = (message: string) => ({ status: 400, body: { __type: 'ValidationException', message } });
  const standIn = await startAwsJsonStandIn('TrentService', (request) => {
    requests.push(request);
    const { operation, body } = request;
    if (body.KeyId !== keyId)
      return { status: 400, body: { __type: 'NotFoundException', message: 'no such key' } };
    if (operation === 'GetPublicKey') {
      return {
        status: 200,
        body: {
          KeyId: keyId,
          KeySpec: options.keySpec ?? 'ECC_NIST_EDWARDS25519',
          KeyUsage: 'SIGN_VERIFY',
          SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
          PublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        },
      };
    }
    if (operation === 'Sign') {
      if (body.SigningAlgorithm !== 'ED25519_SHA_512') return invalid('signing algorithm not supported');
      if (body.MessageType !== 'RAW') return invalid('ED25519_SHA_512 signs RAW messages only');
      const message = Buffer.from(String(body.Message), 'base64');
      return {
        status: 200,
        body: {
          KeyId: keyId,
          SigningAlgorithm: 'ED25519_SHA_512',
          Signature: sign(null, message, privateKey).toString('base64'),
        },
      };
    }
    return invalid(`not served: ${operation}`);
  });
  return { ...standIn, keyId, requests };
}
