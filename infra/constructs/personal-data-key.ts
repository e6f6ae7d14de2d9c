import { RemovalPolicy } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * What the API may do with the personal-data key: make a case's data key (`GenerateDataKey` returns it in
 * clear and wrapped) and unwrap a stored one (`Decrypt`). Nothing that re-wraps, exports or manages the key.
 */
export const PERSONAL_DATA_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/**
 * The KMS key that wraps the per-case data keys of the case keys table (envelope encryption of the subjects'
 * personal data). Rotated yearly by KMS (old versions still unwrap what they wrapped), and kept when the stack
 * is deleted: the kept case keys table is unreadable without it.
 */
export class PersonalDataKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description:
        'detention-ledger: wraps the per-case data keys that encrypt personal data (case keys table)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Lets a principal make and unwrap case data keys with this key, and nothing else. */
  grantWrapAndUnwrap(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: [...PERSONAL_DATA_KEY_ACTIONS],
      resourceArns: [this.key.keyArn],
    });
  }
}
