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
    }),
  ]),
});

export type AppConfig = z.output<typeof appConfigSchema>;

/** Where the application finds its configuration, under its own base path. */
export const APP_CONFIG_PATH = '/app/config.json';
