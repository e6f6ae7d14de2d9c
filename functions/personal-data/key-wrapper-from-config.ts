import { KMSClient } from '@aws-sdk/client-kms';
import type { KeyWrappingOptions } from '../config.ts';
import type { KeyWrapper } from './key-wrapper.ts';
import { KmsKeyWrapper } from './kms-key-wrapper.ts';
import { LocalKeyWrapper, masterKeyFrom } from './local-key-wrapper.ts';
import { noKeyWrapper } from './no-key-wrapper.ts';

/** The key wrapper the configuration asks for: KMS, a local master key, or none at all. */
export function keyWrapperFrom(options: KeyWrappingOptions, region?: string): KeyWrapper {
  if (options.mode === 'kms') {
    return new KmsKeyWrapper(new KMSClient(region ? { region } : {}), options.kmsKeyId);
  }
  return options.masterKey === undefined
    ? noKeyWrapper
    : new LocalKeyWrapper(masterKeyFrom(options.masterKey));
}
