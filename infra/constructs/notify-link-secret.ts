import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { LedgerFunction } from './ledger-function.ts';

/**
 * The key that signs the links in notification emails (confirm an address, unsubscribe in one click): made at
 * deploy time, read at run time by the functions that sign or check links (`NOTIFY_LINK_SECRET_ARN`), so its
 * value never sits in a function's configuration. Kept when the stack is deleted, like the notifications
 * table: a new key would break every unsubscribe link in mail already sent.
 */
export class NotifyLinkSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Signs the confirm and unsubscribe links of notification emails (NOTIFY_LINK_SECRET_ARN)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A rotation would break every unsubscribe link in the emails already sent (RFC 8058 one-click ' +
        'unsubscribe must keep working), so the key is not rotated on a schedule. To replace it after a leak, ' +
        'put a new value in the secret: old links then fail and people unsubscribe in the web application.',
    });
  }

  /** Lets a function read the key, and tells it where (`NOTIFY_LINK_SECRET_ARN`); this secret only. */
  grantRead(fn: LedgerFunction): void {
    fn.function.addEnvironment('NOTIFY_LINK_SECRET_ARN', this.secret.secretArn);
    Grant.addToPrincipal({
      grantee: fn.role,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [this.secret.secretArn],
    });
  }
}
