/**
 * What the stack writes to the web application's `/app/config.json` (the shape `web/src/app-config.ts` reads):
 * where and how people sign in, so that one build serves every deployment. Optional fields are left out, not
 * null.
 */
export interface WebAppConfig {
  readonly signIn: {
    readonly mode: 'oidc';
    /** As in the tokens' `iss`; discovery at `<issuer>/.well-known/openid-configuration`. */
    readonly issuer: string;
    /** The public client: authorization code with PKCE, no secret. */
    readonly clientId: string;
    /** What the browser asks for at the authorization endpoint. */
    readonly scopes?: string;
    /** The claim that lists the roles, as the API's `LEDGER_ROLES_CLAIM`. */
    readonly rolesClaim?: string;
    /** How `pii` is granted, as the API's `OIDC_PII_SCOPE` and `OIDC_PII_GROUP`. */
    readonly piiScope?: string;
    readonly piiGroup?: string;
    /** How the sign-in button names the provider. */
    readonly providerName?: string;
    /** Where to sign out when the provider's discovery names no `end_session_endpoint` (Cognito). */
    readonly signOutUrl?: string;
  };
}
