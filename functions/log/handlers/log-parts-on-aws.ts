import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { kmsNoteSigner } from '../kms-note-signer.ts';
import type { LogConfig } from '../log-config.ts';
import type { NoteSigner, TileStore, WitnessConfig } from '../ports.ts';
import { s3TileStore } from '../s3-tile-store.ts';
import type { LogAwsConfig } from './log-aws-config.ts';

/** The log's parts on AWS: its tiles in S3, its key in KMS, and the witnesses it names. */
export interface LogPartsOnAws {
  readonly tiles: TileStore;
  readonly signer: NoteSigner;
  readonly witnesses: readonly WitnessConfig[];
}

/** The SDK clients to reach S3 and KMS with; unset: the region's, from the function's own credentials. */
export interface LogAwsClients {
  readonly s3?: S3Client;
  readonly kms?: KMSClient;
}

/**
 * How long one S3 or KMS request may wait: a stalled one is tried again rather than holding the function to its
 * timeout (the API's is 29 s). Tiles are at most 8 KiB and a signature is one small request.
 */
const REQUEST_TIMEOUT_MS = 3_000;
const CONNECTION_TIMEOUT_MS = 1_000;

/**
 * The log's tiles bucket and signing key, as the API's functions (reading) and the integrator (writing,
 * signing) reach them, clients made once per instance. Which of them may write or sign is the stack's IAM
 * policies' to say, not this code's.
 */
export function logPartsOnAws(log: LogConfig, aws: LogAwsConfig, clients: LogAwsClients = {}): LogPartsOnAws {
  const clientConfig = {
    maxAttempts: 3,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  };
  const s3 = clients.s3 ?? new S3Client(clientConfig);
  const kms = clients.kms ?? new KMSClient(clientConfig);
  return {
    tiles: s3TileStore({ s3, bucket: aws.bucket }),
    signer: kmsNoteSigner({ kms, keyId: aws.kmsKeyId, name: log.origin }),
    witnesses: log.witnesses,
  };
}
