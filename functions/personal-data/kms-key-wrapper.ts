import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { KeyWrapper } from './key-wrapper.ts';

/**
 * Wraps case keys with an AWS KMS key (envelope encryption): KMS makes each data key and returns it wrapped;
 * unwrapping is a KMS `Decrypt` that CloudTrail logs. The case id is the encryption context, so a wrapped key
 * only unwraps for its own case, and the context shows in the audit trail.
 */
export class KmsKeyWrapper implements KeyWrapper {
  readonly #kms: KMSClient;
  readonly #keyId: string;

  constructor(kms: KMSClient, keyId: string) {
    this.#kms = kms;
    this.#keyId = keyId;
  }

  get wrappedBy(): string {
    return this.#keyId;
  }

  async generate(caseId: string) {
    const result = await this.#kms.send(
      new GenerateDataKeyCommand({ KeyId: this.#keyId, KeySpec: 'AES_256', EncryptionContext: { caseId } }),
    );
    if (!result.Plaintext || !result.CiphertextBlob) throw new Error('KMS returned no data key');
    return {
      key: Buffer.from(result.Plaintext),
      wrapped: Buffer.from(result.CiphertextBlob).toString('base64'),
    };
  }

  async unwrap(caseId: string, wrapped: string): Promise<Buffer> {
    const result = await this.#kms.send(
      new DecryptCommand({
        KeyId: this.#keyId,
        CiphertextBlob: Buffer.from(wrapped, 'base64'),
        EncryptionContext: { caseId },
      }),
    );
    if (!result.Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(result.Plaintext);
  }
}
