import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  AnyPrincipal,
  Effect,
  Grant,
  type IRole,
  PolicyDocument,
  PolicyStatement,
} from 'aws-cdk-lib/aws-iam';
import { type Alias, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * How the log signs (docs/log.md): pure Ed25519 over the note text itself, never a digest of it. Required in
 * the key policy and the signer's own policy, so the key signs nothing in any other way.
 */
export const LOG_SIGNING_CONDITIONS = {
  StringEquals: { 'kms:SigningAlgorithm': 'ED25519_SHA_512', 'kms:MessageType': 'RAW' },
};

/** Disabling or deleting the key ends the log: no checkpoint could be signed again under its name. */
export const LOG_KEY_DESTRUCTIVE_ACTIONS = ['kms:DisableKey', 'kms:ScheduleKeyDeletion'] as const;

/**
 * What the account's administrators may do with the log key through IAM: look at it, read its public half and
 * manage it, never sign. `PutKeyPolicy` stays with them for the reason given at the personal-data key: a key
 * nobody can manage is recovered only through AWS Support.
 */
export const LOG_KEY_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetPublicKey',
  'kms:GetKeyPolicy',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:PutKeyPolicy',
  'kms:EnableKey',
  'kms:UpdateKeyDescription',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:CancelKeyDeletion',
  ...LOG_KEY_DESTRUCTIVE_ACTIONS,
] as const;

export interface LogSigningKeyProps {
  /** The one principal that may disable the key or schedule its deletion; without it, nobody may. */
  readonly breakGlassPrincipalArn?: string;
}

/**
 * The transparency log's signing key (`LOG_KMS_KEY_ID`): Ed25519 in KMS (`ECC_NIST_EDWARDS25519`, sign and
 * verify), whose private half never leaves KMS. Its public half, with the log's origin, is the verifier key
 * that witnesses and auditors hold, so it is kept when the stack is deleted, and nobody but the break-glass
 * principal may disable or delete it.
 *
 * It is not rotated, on purpose: KMS rotates symmetric keys only, and for this key a rotation could not be
 * quiet anyway: a new key is a new verifier key, which every witness and every holder of an evidence packet
 * must be told about before a checkpoint signed by it is accepted. Changing it is a decision, with a new key
 * made beside this one (docs/operations.md).
 *
 * Its key policy sets the bounds, whatever IAM says: the account may manage it and read its public key, one
 * role (the integrator's, see `grantSign`) may sign with it, in pure Ed25519 only, and every other principal is
 * refused `kms:Sign`.
 */
export class LogSigningKey extends Construct {
  readonly key: Key;
  readonly alias: Alias;
  #signer: IRole | undefined;

  constructor(scope: Construct, id: string, props: LogSigningKeyProps = {}) {
    super(scope, id);
    // Our own policy instead of CDK's default, which gives the account `kms:*` and so lets any IAM policy sign.
    const policy = new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: 'AccountManagesButDoesNotSign',
          principals: [new AccountRootPrincipal()],
          actions: [...LOG_KEY_ADMIN_ACTIONS],
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'OnlyBreakGlassDisablesOrDeletes',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: [...LOG_KEY_DESTRUCTIVE_ACTIONS],
          resources: ['*'],
          ...(props.breakGlassPrincipalArn && {
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.breakGlassPrincipalArn } },
          }),
        }),
      ],
    });
    this.key = new Key(this, 'Key', {
      description:
        "detention-ledger: signs the transparency log's checkpoints (Ed25519; never rotated, see docs)",
      keySpec: KeySpec.ECC_NIST_EDWARDS25519,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      policy,
    });
    this.alias = this.key.addAlias(`alias/${Stack.of(this).stackName}/log-signing`);
  }

  /**
   * Makes `role` the key's one signer: it may sign in pure Ed25519 and read the public key; every other
   * principal is refused `kms:Sign` by the key policy. Allowed in the key policy and in the role's own policy,
   * both needed, so either one read alone tells the truth.
   *
   * @throws Error when the key already has a signer: two writers of one log is a fork waiting to happen.
   */
  grantSign(role: IRole): Grant {
    if (this.#signer) {
      throw new Error(
        `The log key is signed with by ${this.#signer.node.path} alone; it cannot be granted to ${role.node.path}`,
      );
    }
    this.#signer = role;
    // Named in a condition, not as the principal: KMS checks a principal exists when the policy is set, and a
    // role made in the same deployment may not be visible to it yet.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'IntegratorSignsCheckpoints',
        principals: [new AccountRootPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': role.roleArn }, ...LOG_SIGNING_CONDITIONS },
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NobodyElseSigns',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
      }),
    );
    this.grantPublicKey(role);
    return Grant.addToPrincipal({
      grantee: role,
      actions: ['kms:Sign'],
      resourceArns: [this.key.keyArn],
      conditions: LOG_SIGNING_CONDITIONS,
    });
  }

  /** Lets a role read the public key (to serve `/log/key`, or to check it is the Ed25519 key it expects). */
  grantPublicKey(role: IRole): Grant {
    return Grant.addToPrincipal({
      grantee: role,
      actions: ['kms:GetPublicKey'],
      resourceArns: [this.key.keyArn],
    });
  }
}
