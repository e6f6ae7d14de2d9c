import type { AppConfig } from './app-config.ts';

/** Where the application finds its configuration, under its own base path. */
export const APP_CONFIG_PATH = '/app/config.json';

const OIDC_TEXTS = [
  'scopes',
  'resource',
  'rolesClaim',
  'piiScope',
  'piiGroup',
  'signOutUrl',
  'providerName',
] as const;

/**
 * The deployment's `/app/config.json`. The server's schema (`app-config.ts`, zod) is the contract; here only
 * what the application relies on is checked, so zod stays out of the first load.
 *
 * @throws {Error} when it cannot be read or says something else.
 */
export async function loadAppConfig(): Promise<AppConfig> {
  const response = await fetch(APP_CONFIG_PATH, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${APP_CONFIG_PATH} answered ${response.status}`);
  const body = (await response.json()) as { signIn?: Record<string, unknown> } | null;
  const signIn = body?.signIn;
  if (signIn?.mode === 'local') return { signIn: { mode: 'local' } };
  if (signIn?.mode === 'oidc' && typeof signIn.issuer === 'string' && typeof signIn.clientId === 'string') {
    const texts = OIDC_TEXTS.filter((key) => typeof signIn[key] === 'string');
    return {
      signIn: {
        mode: 'oidc',
        issuer: signIn.issuer,
        clientId: signIn.clientId,
        ...Object.fromEntries(texts.map((key) => [key, signIn[key] as string])),
      },
    };
  }
  throw new Error(`${APP_CONFIG_PATH} names no way to sign in`);
}
