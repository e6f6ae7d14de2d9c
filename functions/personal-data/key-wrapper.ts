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
  /** What wraps new keys now, for the stored key item and logs: `local:<master key id>` or the KMS key id. */
  readonly wrappedBy: string;
  /**
   * Present when the master key itself can be replaced (a local one): each erasure then re-wraps every
   * surviving case key under a new master key and destroys the old one, so whatever a disk still holds of
   * an erased case's wrapped key is useless. KMS keeps deleted items off any disk an operator can read.
   */
  readonly rotation?: KeyRotation;
}

/** The steps of a master-key rotation; `CaseKeys` runs them in an order that never loses a case key. */
export interface KeyRotation {
  /** Whether older master keys are still held: a rotation began and has not finished. */
  readonly pending: boolean;
  /** Whether `wrapped` is under the newest master key. */
  isCurrent(wrapped: string): boolean;
  /** The same data key, wrapped under the newest master key. */
  rewrap(caseId: string, wrapped: string): Promise<string>;
  /** Makes a new master key the newest, kept before this resolves; older ones stay until `retireOlder`. */
  advance(): Promise<void>;
  /** Destroys every master key but the newest: call only once no case key is wrapped by another. */
  retireOlder(): Promise<void>;
}
