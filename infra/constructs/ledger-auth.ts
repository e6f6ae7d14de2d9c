import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, FeaturePlan, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/**
 * The roles of the API, as Cognito groups: a token carries its user's groups in the `cognito:groups` claim,
 * the claim the API reads roles from.
 */
export const LEDGER_ROLES = {
  viewer: 'Views, summaries and alerts, without personal data',
  recorder: 'Opens cases and appends events',
  auditor: 'Histories, the audit feed, verification and proofs, knownAt queries',
  admin: 'Erasure and rebuilds',
} as const;

/** An OpenID Connect issuer to trust instead of the stack's own user pool. */
export interface ExternalIssuer {
  /** The issuer URL, as in the tokens' `iss` claim. */
  readonly url: string;
  /** A token must carry one of these in `aud` (or, for Cognito access tokens, `client_id`). */
  readonly audience: readonly string[];
}

export interface LedgerAuthProps {
  /** Trust this issuer; unset: make a Cognito user pool and trust it. */
  readonly externalIssuer?: ExternalIssuer;
}

/**
 * Who may call the API: a JWT authorizer over the stack's own Cognito user pool (the default) or over an
 * existing issuer given as context.
 *
 * The user pool is for staff, not the public: no self sign-up (an administrator creates each user), MFA by
 * authenticator app required, a strong password policy, and kept when the stack is deleted, since the ledger
 * records who recorded each fact.
 */
export class LedgerAuth extends Construct {
  readonly authorizer: HttpJwtAuthorizer;
  readonly issuer: string;
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;

  constructor(scope: Construct, id: string, props: LedgerAuthProps = {}) {
    super(scope, id);

    if (props.externalIssuer) {
      this.issuer = props.externalIssuer.url;
      this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', this.issuer, {
        jwtAudience: [...props.externalIssuer.audience],
      });
      return;
    }

    const userPool = new UserPool(this, 'UserPool', {
      userPoolName: Stack.of(this).stackName,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) is charged per monthly active user; the pool is closed to ' +
        'self sign-up, requires MFA and a 12-character password, so the Essentials plan is the default. ' +
        'Switch featurePlan to PLUS where the budget allows.',
    });
    for (const [groupName, description] of Object.entries(LEDGER_ROLES)) {
      userPool.addGroup(`Group-${groupName}`, { groupName, description });
    }

    const userPoolClient = userPool.addClient('ApiClient', {
      // Username and password (with MFA) from the command line, or SRP from an app; no hosted UI, no secret.
      authFlows: { userPassword: true, userSrp: true },
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });

    this.userPool = userPool;
    this.userPoolClient = userPoolClient;
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', this.issuer, {
      jwtAudience: [userPoolClient.userPoolClientId],
    });
  }
}
