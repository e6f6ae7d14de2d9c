/**
 * Wraps and unwraps the data key of a case with a master key that never leaves its keeper: KMS on AWS
 * (`kms-key-wrapper.ts`), a key from configuration locally (`local-key-wrapper.ts`). The case id is bound
 * into each wrapping, so a wrapped key copied onto another case does not unwrap.
 */
export interface KeyWrapper {
  /** A fresh 256-bit data key for the case, in clear and wrapped. */
  generate(caseId: string): Promise<{ readonly key: Buffer; readonly wrapped: string }>;
  /** The data key from its wrapped form; throws when it is not this case's or was altered. */
  unwrap(caseId: string, wrapped: string): Promise<Buffer>;
  /** What wraps the keys, for the stored key item and logs: `local` or the KMS key id. */
  readonly wrappedBy: string;
}
