import { Duration, Lazy, Stack, Validations } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { WebAppConfig } from './web-app-config.ts';

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

/** The Cognito group whose members see personal data in clear (`OIDC_PII_GROUP`), beside the four roles. */
export const PII_GROUP = 'pii';

/** Where the web application's sign-in returns to, and where signing out at the provider returns to. */
export const WEB_CALLBACK_PATH = '/app/signed-in';
export const WEB_SIGNED_OUT_PATH = '/app/signed-out';

/** An OpenID Connect issuer to trust instead of the stack's own user pool. */
export interface ExternalIssuer {
  /** The issuer URL, as in the tokens' `iss` claim. */
  readonly url: string;
  /** A token must carry one of these in `aud` (or, for Cognito access tokens, `client_id`). */
  readonly audience: readonly string[];
  /** The web application's client at the issuer: public, authorization code with PKCE. */
  readonly webClientId: string;
  /** Origins besides the issuer's the browser reaches to sign in (authorization and token endpoints). */
  readonly endpointOrigins: readonly string[];
  /** What the web application asks the issuer for: `openid`, and the scopes that bring roles or `pii`. */
  readonly scopes: string;
  readonly piiScope: string;
  readonly piiGroup?: string;
}

export interface LedgerAuthProps {
  /** Trust this issuer; unset: make a Cognito user pool and trust it. */
  readonly externalIssuer?: ExternalIssuer;
  /** The prefix of the user pool's Cognito domain (unique in the region); unused with `externalIssuer`. */
  readonly domainPrefix: string;
  /** The token claim that lists the roles (the API's `LEDGER_ROLES_CLAIM`). */
  readonly rolesClaim: string;
}

/**
 * Who may call the API: a JWT authorizer over the stack's own Cognito user pool (the default) or over an
 * existing issuer given as context, accepting the API client and the web application's client.
 *
 * The user pool is for staff, not the public: no self sign-up (an administrator creates each user), MFA by
 * authenticator app required of everyone (every role reads or writes evidence about people's liberty, and a
 * viewer's stolen password would show who is detained where), a strong password policy, and kept when the stack
 * is deleted, since the ledger records who recorded each fact. People sign in to the web application at the
 * pool's managed login, on a Cognito domain.
 */
export class LedgerAuth extends Construct {
  readonly authorizer: HttpJwtAuthorizer;
  readonly issuer: string;
  readonly rolesClaim: string;
  /** The `pii` grant as the functions read it (`OIDC_PII_SCOPE`, `OIDC_PII_GROUP`). */
  readonly pii: { readonly scope: string; readonly group?: string };
  /** Audiences known when the stack is built; the web client's, with the stack's own pool, only once it is made. */
  readonly audiences: string[];
  /**
   * The origins the browser reaches to sign in (the issuer's, for discovery, and the authorization and token
   * endpoints'), for the web application's Content-Security-Policy.
   */
  readonly signInOrigins: readonly string[];
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  readonly domain?: UserPoolDomain;
  #webClient?: UserPoolClient;
  readonly #externalIssuer?: ExternalIssuer;

  constructor(scope: Construct, id: string, props: LedgerAuthProps) {
    super(scope, id);
    this.rolesClaim = props.rolesClaim;
    // The authorizer is bound when the API's routes are made, before the web client exists: its audiences
    // are read at synthesis.
    const jwtAudience = Lazy.list({ produce: () => this.audiences });

    if (props.externalIssuer) {
      const external = props.externalIssuer;
      this.#externalIssuer = external;
      this.issuer = external.url;
      this.audiences = [...new Set([...external.audience, external.webClientId])];
      this.pii = { scope: external.piiScope, ...(external.piiGroup && { group: external.piiGroup }) };
      this.signInOrigins = [...new Set([new URL(external.url).origin, ...external.endpointOrigins])];
      this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', this.issuer, { jwtAudience });
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
    userPool.addGroup('Group-pii', {
      groupName: PII_GROUP,
      description: 'Sees personal data in clear (with a role that reads it); an admin always does',
    });

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

    // The newer managed login: it sets up the authenticator app at the first sign-in, as the pool requires.
    this.domain = userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.userPool = userPool;
    this.userPoolClient = userPoolClient;
    const { region, urlSuffix } = Stack.of(this);
    this.issuer = `https://cognito-idp.${region}.${urlSuffix}/${userPool.userPoolId}`;
    this.audiences = [userPoolClient.userPoolClientId];
    this.pii = { scope: 'pii', group: PII_GROUP };
    this.signInOrigins = [`https://cognito-idp.${region}.${urlSuffix}`, this.domain.baseUrl()];
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', this.issuer, { jwtAudience });
  }

  /** The web application's client in the stack's own pool, once `addWebClient` has made it. */
  get webClient(): UserPoolClient | undefined {
    return this.#webClient;
  }

  /**
   * The web application's sign-in at `https://<domainName>` (the distribution's): with the stack's own pool,
   * a public app client for the managed login (authorization code with PKCE, no secret), whose tokens the
   * authorizer then accepts too; with an external issuer, the client given as context. Returns what the web
   * application's `config.json` says.
   */
  addWebClient(domainName: string): WebAppConfig {
    const origin = `https://${domainName}`;
    const rolesClaim = this.rolesClaim;
    if (this.#externalIssuer) {
      const external = this.#externalIssuer;
      return {
        signIn: {
          mode: 'oidc',
          issuer: external.url,
          clientId: external.webClientId,
          scopes: external.scopes,
          rolesClaim,
          piiScope: external.piiScope,
          ...(external.piiGroup && { piiGroup: external.piiGroup }),
        },
      };
    }
    const userPool = this.userPool!;
    const domain = this.domain!;
    const signedOut = `${origin}${WEB_SIGNED_OUT_PATH}`;
    const webClient = userPool.addClient('WebClient', {
      // SRP only for the API flows: the web application signs in at the managed login, never with a password
      // of its own handling; the refresh token rotates instead of allowing REFRESH_TOKEN_AUTH.
      authFlows: { userSrp: true },
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${origin}${WEB_CALLBACK_PATH}`],
        logoutUrls: [signedOut],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // Short access tokens: a removed role or group shows within half an hour, and a stolen token is soon dead.
      accessTokenValidity: Duration.minutes(30),
      idTokenValidity: Duration.minutes(30),
      // A working day; each refresh hands out a new refresh token and ends the old one after 10 seconds.
      refreshTokenValidity: Duration.hours(12),
      refreshTokenRotationGracePeriod: Duration.seconds(10),
    });
    // Managed login shows a page only for a client with a style: Cognito's own look.
    new CfnManagedLoginBranding(this, 'WebClientBranding', {
      userPoolId: userPool.userPoolId,
      clientId: webClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.#webClient = webClient;
    this.audiences.push(webClient.userPoolClientId);
    return {
      signIn: {
        mode: 'oidc',
        issuer: this.issuer,
        clientId: webClient.userPoolClientId,
        scopes: 'openid email profile',
        rolesClaim,
        piiScope: this.pii.scope,
        piiGroup: PII_GROUP,
        // Cognito's discovery document names no end_session_endpoint: its own logout endpoint.
        // Encoded piece by piece: the domain name is a token until deployment, and a host needs no encoding.
        signOutUrl: `${domain.baseUrl()}/logout?client_id=${webClient.userPoolClientId}&logout_uri=https%3A%2F%2F${domainName}${encodeURIComponent(WEB_SIGNED_OUT_PATH)}`,
      },
    };
  }
}
