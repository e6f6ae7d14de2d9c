import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Grant, type IRole } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The prefixes the log keeps objects under (docs/log.md): the tiles and entry bundles under `tile/`, and the
 * newest checkpoint at `checkpoint`. Grants name these and nothing else of the bucket.
 */
export const LOG_OBJECT_KEYS = { tiles: 'tile/*', checkpoint: 'checkpoint' } as const;

/** The reads a tile store makes: an object, and the listing that turns a missing one into a 404, not a 403. */
export const LOG_BUCKET_READ_ACTIONS = ['s3:GetObject'] as const;
export const LOG_BUCKET_WRITE_ACTIONS = ['s3:PutObject'] as const;

/**
 * How long an overwritten or deleted object's earlier version is kept. Tiles are written once (a second write
 * carries the same bytes) and the checkpoint moves with every integration; a year of its versions is a few
 * megabytes, and long enough to notice and undo a tile overwritten by mistake.
 */
export const LOG_NONCURRENT_VERSION_DAYS = 365;

/**
 * The bucket of the transparency log's tiles, entry bundles and published checkpoint (`LOG_BUCKET`): private
 * (every kind of public access blocked; the API serves its objects at `/log/`), TLS only, S3-managed
 * encryption, versioned so that an object overwritten or deleted by mistake can be recovered, and kept when the
 * stack is deleted. The tiles can be rebuilt from the log table's leaves, but the bucket is what witnesses and
 * auditors have read: it goes only by hand.
 */
export class LogTilesBucket extends Construct {
  readonly bucket: Bucket;
  readonly #acknowledged = new Set<IRole>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'ForgetOldVersions',
          noncurrentVersionExpiration: Duration.days(LOG_NONCURRENT_VERSION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds hashes only, and is read by the API alone: every read of /log/ is in the API access ' +
        "log, and only the integrator's role may write, which CloudTrail records; versioning keeps what was overwritten.",
    });
  }

  /** Lets a function's role read the log's objects, and learn that one is missing (`s3:ListBucket`). */
  grantRead(role: IRole): Grant[] {
    return [
      this.#grant(role, [...LOG_BUCKET_READ_ACTIONS], this.#objectArns()),
      // Without it S3 answers 403 for a key that does not exist, which a tile store cannot tell from a refusal.
      this.#grant(role, ['s3:ListBucket'], [this.bucket.bucketArn]),
    ];
  }

  /** Lets a function's role write the log's objects (tiles, bundles, the checkpoint), and nothing else. */
  grantWrite(role: IRole): Grant {
    return this.#grant(role, [...LOG_BUCKET_WRITE_ACTIONS], this.#objectArns());
  }

  #objectArns(): string[] {
    return [
      this.bucket.arnForObjects(LOG_OBJECT_KEYS.tiles),
      this.bucket.arnForObjects(LOG_OBJECT_KEYS.checkpoint),
    ];
  }

  #grant(role: IRole, actions: string[], resourceArns: string[]): Grant {
    if (!this.#acknowledged.has(role)) this.#acknowledgeTiles(role);
    return Grant.addToPrincipal({ grantee: role, actions, resourceArns });
  }

  /** cdk-nag names the `tile/*` wildcard in each role's policy: acknowledged once per role, with its reason. */
  #acknowledgeTiles(role: IRole): void {
    this.#acknowledged.add(role);
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${LOG_OBJECT_KEYS.tiles}]`,
      reason:
        "The tiles are the log's own layout under tile/ (C2SP tlog-tiles), as many keys as the log has entries; " +
        'the wildcard reaches those and nothing else of the bucket, whose one other key, checkpoint, is named.',
    });
  }
}
