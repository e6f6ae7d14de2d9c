import * as z from 'zod';

/**
 * What `/app/config.json` says to the web application: the settings that differ between deployments, so that
 * one build serves every one of them. The local runtime answers it; a deployment elsewhere serves the same
 * shape beside the built files. The application imports the type only, so zod stays out of its bundle.
 */
export const appConfigSchema = z.strictObject({
  signIn: z.discriminatedUnion('mode', [
    // The local runtime mints a short-lived token at POST /local/sign-in for whoever uses this machine.
    z.strictObject({ mode: z.literal('local') }),
    // An OpenID provider signs people in (authorization code with PKCE); the API verifies its tokens itself.
    z.strictObject({
      mode: z.literal('oidc'),
      issuer: z.url({ protocol: /^https?$/ }),
      clientId: z.string().min(1).max(512),
      /** What to ask for at the authorization endpoint; `openid profile email` by default. */
      scopes: z.string().min(1).max(1024).optional(),
      /** The RFC 8707 resource indicator the access tokens are for (the API's audience), when the provider needs one. */
      resource: z.url().optional(),
      /** The claim that lists roles, as the API's `LEDGER_ROLES_CLAIM`; `cognito:groups` by default. */
      rolesClaim: z.string().min(1).max(256).optional(),
      /** The scope or group that grants personal data in clear, as the API's `OIDC_PII_SCOPE` / `OIDC_PII_GROUP`. */
      piiScope: z.string().min(1).max(256).optional(),
      piiGroup: z.string().min(1).max(256).optional(),
      /** How the sign-in button names the provider, e.g. the organisation's; unset, the button says "Sign in". */
      providerName: z
        .string()
        .min(1)
        .max(100)
        .regex(/^[^\p{Cc}]+$/u, 'no control characters')
        .optional(),
      /** Where signing out goes when the provider's discovery document has no `end_session_endpoint`. */
      signOutUrl: z.url({ protocol: /^https?$/ }).optional(),
    }),
  ]),
});

export type AppConfig = z.output<typeof appConfigSchema>;

/** The settings of signing in at an OpenID provider. */
export type OidcSignIn = Extract<AppConfig['signIn'], { mode: 'oidc' }>;
