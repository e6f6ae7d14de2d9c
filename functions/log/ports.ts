/**
 * What the transparency log's code needs from the world, so the same integrator, routes and witness client run
 * on AWS (S3, KMS) and locally (a directory, a key file). docs/log.md fixes the formats behind these ports.
 */

/** Where tiles, entry bundles and the published checkpoint are kept: S3 on AWS, a directory locally. */
export interface TileStore {
  /**
   * The bytes at a path under the log's prefix (`checkpoint`, `tile/0/x001/067`, `tile/entries/000.p/7`), or
   * undefined when nothing is kept there.
   */
  read(path: string): Promise<Uint8Array | undefined>;
  /**
   * Keeps bytes at a path, replacing what was there. Full tiles and bundles are written once with the same
   * bytes by whoever writes them (they are derived from the leaves), so a second write is harmless.
   */
  write(path: string, bytes: Uint8Array): Promise<void>;
}

/** The log's own key: signs checkpoints (signed-note type 0x01, Ed25519). KMS on AWS, a key file locally. */
export interface NoteSigner {
  /** The key name: the log's origin. */
  readonly name: string;
  /** The 32-byte Ed25519 public key (RFC 8032 encoding). */
  publicKey(): Promise<Uint8Array>;
  /** The 64-byte Ed25519 signature of the message (pure Ed25519, not prehashed). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A witness the ledger submits its checkpoints to: its verifier key (type 0x04) and its submission URL. */
export interface WitnessConfig {
  readonly verifierKey: string;
  readonly url: string;
}

/**
 * Gathers cosignatures for a freshly signed checkpoint from the configured witnesses (C2SP tlog-witness).
 * Resolves with the cosignature lines (`— <name> <base64>\n`) of those that cosigned, and what each of the
 * others answered; it never throws for a witness that is down or refuses.
 */
export interface Witnesses {
  gather(request: {
    /** The signed checkpoint note, as the log signed it. */
    readonly checkpoint: string;
    readonly size: number;
    /** The consistency proof from an older size to `size`, for a witness that holds that older size. */
    readonly proofFrom: (oldSize: number) => Promise<Uint8Array[]>;
  }): Promise<{
    readonly cosignatures: string[];
    readonly outcomes: ReadonlyArray<{
      readonly witness: string;
      readonly ok: boolean;
      readonly detail: string;
    }>;
  }>;
}
