import type { KeyWrapper } from './key-wrapper.ts';
import { PersonalDataError } from './personal-data-error.ts';

/** Personal data was asked of a function that holds no key to it. */
export class NoKeyAccessError extends PersonalDataError {
  readonly code = 'no_key_access';
  constructor() {
    super('This process holds no key to personal data (set KEY_WRAPPING and its key to give it one)');
    this.name = 'NoKeyAccessError';
  }
}

/**
 * The wrapper of a process that must never read or write personal data: the projector, the digest function,
 * the command line. Least privilege in code as in IAM: asking it for a key fails loudly.
 */
export const noKeyWrapper: KeyWrapper = {
  wrappedBy: 'none',
  generate: () => Promise.reject(new NoKeyAccessError()),
  unwrap: () => Promise.reject(new NoKeyAccessError()),
};
