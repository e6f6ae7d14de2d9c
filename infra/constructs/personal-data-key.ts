import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  AnyPrincipal,
  Effect,
  Grant,
  type IRole,
  PolicyDocument,
  PolicyStatement,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * What the API may do with the personal-data key: make a case's data key (`GenerateDataKey` returns it in
 * clear and wrapped) and unwrap a stored one (`Decrypt`). Nothing that re-wraps, exports or manages the key.
 */
export const PERSONAL_DATA_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/**
 * Every way to encrypt or decrypt with the key, or to hand that power on (a grant works beside the key
 * policy): none of it is allowed to anyone but the key's one user.
 */
export const PERSONAL_DATA_KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  // A symmetric key also makes data key pairs, their private half encrypted under it.
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:CreateGrant',
] as const;

/** Disabling the key or deleting it makes every case's data key unreadable: every subject is erased at once. */
export const PERSONAL_DATA_KEY_DESTRUCTIVE_ACTIONS = ['kms:DisableKey', 'kms:ScheduleKeyDeletion'] as const;

/**
 * What the account's administrators (through IAM) may do with the key: look at it and manage it, never use it.
 * `PutKeyPolicy` stays with them on purpose: KMS refuses a key policy that would lock out the principal setting
 * it, and a key nobody can manage can only be recovered through AWS Support. So the protections below are not
 * absolute — an administrator can rewrite the policy — but lifting them is a deliberate `PutKeyPolicy` that
 * CloudTrail records, not a slip.
 */
export const PERSONAL_DATA_KEY_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:PutKeyPolicy',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:UpdateKeyDescription',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:CancelKeyDeletion',
  ...PERSONAL_DATA_KEY_DESTRUCTIVE_ACTIONS,
] as const;

/**
 * The encryption context the API sends (`KmsKeyWrapper`): exactly one key, `caseId`. Requiring it means a
 * wrapped key unwraps only for the case it was made for, and every use names its case in CloudTrail.
 */
const CASE_CONTEXT_REQUIRED = {
  'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['caseId'] },
  Null: { 'kms:EncryptionContext:caseId': 'false' },
};

export interface PersonalDataKeyProps {
  /**
   * The one principal (IAM role or user ARN) that may disable the key or schedule its deletion; without it,
   * nobody may.
   */
  readonly breakGlassPrincipalArn?: string;
}

/**
 * The KMS key that wraps the per-case data keys of the case keys table (envelope encryption of the subjects'
 * personal data). Rotated yearly by KMS (old versions still unwrap what they wrapped), and kept when the stack
 * is deleted: the kept case keys table is unreadable without it.
 *
 * Its key policy sets the bounds, whatever IAM policies say: the account may manage it but not use it, one role
 * (the API's functions', see `grantWrapAndUnwrap`) may make and unwrap data keys with a case's id as encryption context,
 * every other principal is refused any use, and nobody but the break-glass principal may disable or delete it.
 */
export class PersonalDataKey extends Construct {
  readonly key: Key;
  #users: readonly IRole[] | undefined;

  constructor(scope: Construct, id: string, props: PersonalDataKeyProps = {}) {
    super(scope, id);
    // A policy of our own replaces CDK's default, which gives the account `kms:*` and so lets any IAM policy
    // of the account use the key.
    const policy = new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: 'AccountManagesButDoesNotUse',
          principals: [new AccountRootPrincipal()],
          actions: [...PERSONAL_DATA_KEY_ADMIN_ACTIONS],
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'OnlyBreakGlassDisablesOrDeletes',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: [...PERSONAL_DATA_KEY_DESTRUCTIVE_ACTIONS],
          resources: ['*'],
          ...(props.breakGlassPrincipalArn && {
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.breakGlassPrincipalArn } },
          }),
        }),
      ],
    });
    this.key = new Key(this, 'Key', {
      description:
        'detention-ledger: wraps the per-case data keys that encrypt personal data (case keys table)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy,
    });
  }

  /**
   * Makes `roles` the key's only users — the functions that serve the API, however requests reach them: each
   * may make and unwrap case data keys, with the case's id as encryption context, and nothing else; every other
   * principal is refused any use of the key. Allowed in the key policy and in each role's own policy (both are
   * needed), so either one read alone tells the truth.
   *
   * @throws Error when the key already has users: a second grant would be denied by the first one's statement.
   */
  grantWrapAndUnwrap(...roles: [IRole, ...IRole[]]): Grant[] {
    if (this.#users) {
      throw new Error(
        `The personal-data key is used by ${this.#users.map((user) => user.node.path).join(', ')} alone; it cannot be granted to ${roles.map((role) => role.node.path).join(', ')}`,
      );
    }
    this.#users = roles;
    // One role is named as itself, several as a list: IAM reads a list in `ArnEquals` as "any of them" and in
    // `ArnNotEquals` as "none of them".
    const arns = roles.length === 1 ? roles[0].roleArn : roles.map((role) => role.roleArn);
    // The roles are named in a condition, not as the principal: KMS checks that a principal exists when the
    // policy is set, and a role created in the same deploy may not be visible to it yet. The account as
    // principal means each role's own policy must allow the same, which the grants below do.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ApiWrapsAndUnwrapsCaseKeys',
        principals: [new AccountRootPrincipal()],
        actions: [...PERSONAL_DATA_KEY_ACTIONS],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': arns }, ...CASE_CONTEXT_REQUIRED },
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NobodyElseUsesIt',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...PERSONAL_DATA_KEY_USE_ACTIONS],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': arns } },
      }),
    );
    return roles.map((role) =>
      Grant.addToPrincipal({
        grantee: role,
        actions: [...PERSONAL_DATA_KEY_ACTIONS],
        resourceArns: [this.key.keyArn],
        conditions: CASE_CONTEXT_REQUIRED,
      }),
    );
  }
}
