import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import * as z from 'zod';
import {
  ConfigurationError,
  parseEnv,
  type RuntimeConfig,
  runtimeConfigFrom,
  runtimeEnvSchema,
} from '../functions/config.ts';
import { loadNotifyConfig, type NotifyConfig } from '../functions/notify/notify-config.ts';
import type { TableNames } from '../functions/tables/ensure-tables.ts';

/** The local runtime's environment: the shared variables plus those only `npm start` reads. */
export const localEnvSchema = runtimeEnvSchema.extend({
  PORT: z
    .string()
    .regex(/^\d+$/, 'a port number: 0 (any free port) to 65535')
    .transform(Number)
    .pipe(z.number().int().max(65_535, 'a port number: 0 (any free port) to 65535'))
    .default(3000),
  LEDGER_DATA_DIR: z.string().min(1).default('.ledger-data'),
  LOG_DIR: z.string().min(1).max(4096, 'a directory path, at most 4096 characters').optional(),
  LOG_KEY_FILE: z.string().min(1).max(4096, 'a file path, at most 4096 characters').optional(),
  LEDGER_IN_MEMORY: z
    .enum(['1', '0', 'true', 'false'], {
      error: '1 to keep the data in memory only, 0 (or unset) to keep it on disk',
    })
    .optional(),
  LEDGER_WEB: z
    .enum(['on', 'off'], {
      error: 'on (serve the web application at /app/, the default) or off (the API alone)',
    })
    .default('on'),
  // What the web application asks the provider for in AUTH_MODE=oidc; passed on in /app/config.json.
  OIDC_SCOPES: z.string().max(1024, 'space-separated scopes, at most 1024 characters').optional(),
  OIDC_RESOURCE: z.url({ error: 'the resource indicator (RFC 8707) of the API, a URL' }).optional(),
  OIDC_PROVIDER_NAME: z
    .string()
    .trim()
    .min(1)
    .max(100, 'at most 100 characters')
    .regex(/^[^\p{Cc}]+$/u, 'no control characters')
    .optional(),
  OIDC_SIGN_OUT_URL: z
    .url({
      protocol: /^https?$/,
      error: "a URL: where signing out goes when the provider's discovery has none",
    })
    .optional(),
});

/** The shared runtime configuration (tables, DynamoDB, alert thresholds, cursor key) and the local-only parts. */
export interface LocalConfig extends RuntimeConfig {
  /** The API's port; 0 lets the OS pick one. */
  readonly port: number;
  readonly tables: TableNames;
  /** Where a launched DynamoDB Local keeps its data: an absolute path, or `undefined` for memory only. */
  readonly dataDir: string | undefined;
  /**
   * Where the master keys of data directories are kept unless `LEDGER_MASTER_KEY` is set, a folder for each:
   * under the user's configuration folder (`$XDG_CONFIG_HOME`, else `~/.config`), never inside the data
   * directory. `undefined` in memory.
   */
  readonly masterKeysHome: string | undefined;
  /**
   * Where the transparency log's tiles, bundles and checkpoint are written: `LOG_DIR`, else `<dataDir>/log`;
   * `undefined` in memory (a temporary directory, removed on stop).
   */
  readonly logDir: string | undefined;
  /**
   * The log's signing key file when `LOG_KEY_FILE` gives one; otherwise kept next to the master keys, or, in
   * memory, a key made for the run and never written.
   */
  readonly logKeyFile: string | undefined;
  /** The notifier: email to SMTP_URL or to `.eml` files, webhooks sent at once, a pass every interval. */
  readonly notify: NotifyConfig;
  /** Whether the runtime builds (when stale) and serves the web application at `/app/`; `LEDGER_WEB=off` for the API alone. */
  readonly serveWeb: boolean;
  /** In `AUTH_MODE=oidc`: what the web application asks the provider for, told to it in `/app/config.json`. */
  readonly webSignIn: {
    readonly scopes?: string;
    readonly resource?: string;
    readonly signOutUrl?: string;
    /** How the sign-in button names the provider. */
    readonly providerName?: string;
  };
}

/** The value, or the configuration error it threw. */
function attempt<T>(read: () => T): T | ConfigurationError {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
}

/** Where the master keys (and, by default, the log's key) of data directories are kept, a folder for each. */
export function masterKeysHomeOf(env: Record<string, string | undefined>): string {
  return join(configHomeOf(env), 'detention-ledger', 'master-keys');
}

function configHomeOf(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG rule: a relative value is to be ignored.
  return xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
}

/**
 * Reads and checks the local runtime's configuration; a relative `LEDGER_DATA_DIR` is resolved against `cwd`.
 *
 * @throws {ConfigurationError} naming every variable that is wrong.
 *
 * @example
 * ```ts
 * const config = loadLocalConfig({ PORT: '8080', LEDGER_IN_MEMORY: '1' });
 * config.dataDir; // undefined: in memory
 * ```
 */
export function loadLocalConfig(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): LocalConfig {
  // Both read, and their problems told together, so one restart fixes every variable.
  const [parsedOr, notifyOr] = [
    attempt(() => parseEnv(localEnvSchema, env)),
    attempt(() => loadNotifyConfig(env, 'local')),
  ];
  const problems = [parsedOr, notifyOr].flatMap((r) => (r instanceof ConfigurationError ? r.problems : []));
  if (problems.length > 0) throw new ConfigurationError(problems);
  const parsed = parsedOr as Exclude<typeof parsedOr, ConfigurationError>;
  const notify = notifyOr as NotifyConfig;
  if (parsed.AUTH_MODE === 'oidc' && parsed.LEDGER_WEB === 'on' && parsed.OIDC_CLIENT_ID === undefined) {
    throw new ConfigurationError([
      "OIDC_CLIENT_ID: required when AUTH_MODE is oidc and the web application is served: the web application's client id at the provider (or LEDGER_WEB=off for the API alone)",
    ]);
  }
  const inMemory = parsed.LEDGER_IN_MEMORY === '1' || parsed.LEDGER_IN_MEMORY === 'true';
  const dataDir = inMemory ? undefined : resolve(cwd, parsed.LEDGER_DATA_DIR);
  return {
    ...runtimeConfigFrom(parsed),
    port: parsed.PORT,
    dataDir,
    masterKeysHome: dataDir === undefined ? undefined : masterKeysHomeOf(env),
    serveWeb: parsed.LEDGER_WEB === 'on',
    logDir: parsed.LOG_DIR
      ? resolve(cwd, parsed.LOG_DIR)
      : dataDir === undefined
        ? undefined
        : join(dataDir, 'log'),
    logKeyFile: parsed.LOG_KEY_FILE ? resolve(cwd, parsed.LOG_KEY_FILE) : undefined,
    notify,
    webSignIn: {
      ...(parsed.OIDC_SCOPES && { scopes: parsed.OIDC_SCOPES }),
      ...(parsed.OIDC_RESOURCE && { resource: parsed.OIDC_RESOURCE }),
      ...(parsed.OIDC_SIGN_OUT_URL && { signOutUrl: parsed.OIDC_SIGN_OUT_URL }),
      ...(parsed.OIDC_PROVIDER_NAME && { providerName: parsed.OIDC_PROVIDER_NAME }),
    },
  };
}
