import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import {
  discoverOidcProvider,
  OidcDiscoveryError,
  type OidcProviderMetadata,
} from '../functions/api/auth/oidc-discovery.ts';
import { notificationDependencies } from '../functions/api/notifications/notification-dependencies.ts';
import type { OidcAuthOptions } from '../functions/config.ts';
import { createDynamoDBClients } from '../functions/dynamodb-clients.ts';
import { httpWitnesses } from '../functions/log/witness-client.ts';
import { signedLinks } from '../functions/notify/signed-links.ts';
import { createServices } from '../functions/services.ts';
import { ensureTables } from '../functions/tables/ensure-tables.ts';
import type { AppConfig } from '../web/src/app-config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { startDynamoDBLocal } from './dynamodb-local.ts';
import { createDynamoDBStreamsClient } from './dynamodb-streams-client.ts';
import { DynamoDBUnreachableError, networkErrorCode } from './dynamodb-unreachable.ts';
import { createJsonLinesLogger, describeError, type Logger } from './json-lines-logger.ts';
import type { LocalConfig } from './local-config.ts';
import { LocalError } from './local-error.ts';
import { type LocalMail, startLocalNotifier } from './local-notifier.ts';
import { localLogParts, startLocalLog } from './log/local-log.ts';
import { claimLogDirectory } from './log/log-directory.ts';
import { localLinkSecret } from './notify-link-secret-file.ts';
import { writeRuntimeFile } from './runtime-file.ts';
import { runtimeKeyWrapper } from './runtime-key-wrapper.ts';
import { startStreamPoller } from './stream-poller.ts';
import { bringViewsToCurrentRevision } from './views-at-start.ts';
import { ensureWebBuild, WEB_DIST } from './web-build.ts';
import { createLocalHost } from './web-host.ts';

/** The API only listens on loopback: the local runtime serves personal data and has no TLS. */
const API_HOST = '127.0.0.1';

export interface LocalRuntime {
  /** The API's base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** Where the web application is, `${url}/app/`; `undefined` with `LEDGER_WEB=off`. */
  readonly webUrl: string | undefined;
  /** The DynamoDB endpoint in use, launched or given. */
  readonly dynamodbEndpoint: string;
  /** The launched DynamoDB Local's process id; `undefined` when `DYNAMODB_ENDPOINT` was given. */
  readonly dynamodbPid: number | undefined;
  /** Set when the launched DynamoDB Local listens beyond loopback: the warning to print at start. */
  readonly dynamodbWarning: string | undefined;
  /** Where the data lives: a directory, `memory`, or the given endpoint. */
  readonly storage: string;
  /** The secret tokens are checked with (`LEDGER_JWT_SECRET`, or generated for this run); mint with it. */
  readonly jwtSecret: string | undefined;
  /** `true` when no secret was configured and this run made one up: tokens die with it. */
  readonly jwtSecretGenerated: boolean;
  /** Resolves when every record written so far has been projected (for tests and the demo). */
  projected(): Promise<void>;
  /** Where notification emails go: an SMTP server, or a folder of `.eml` files to open. */
  readonly mail: LocalMail;
  /** Runs a notifier pass now and resolves when it is done (it also runs every NOTIFY_INTERVAL_SECONDS). */
  notifyNow(): Promise<void>;
  /** Resolves when every ledger record so far has reached the notifier. */
  notifierCaughtUp(): Promise<void>;
  /** Where the transparency log's tiles and checkpoint are written (`LOG_DIR`). */
  readonly logDir: string;
  /** Resolves when every ledger record so far is integrated into the transparency log and published. */
  logCaughtUp(): Promise<void>;
  /** Stops the server, the poller and DynamoDB Local, in that order. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface LocalRuntimeOptions {
  readonly logger?: Logger;
  /**
   * Runs once everything but the listener is up, with the API in-process; the port opens only after it, so
   * nobody (and no `/health` probe) sees the runtime before it is ready. The demo loads its data here.
   */
  readonly beforeListening?: (runtime: PreparingRuntime) => Promise<void>;
  /** Where lines for people go (the web application's build); stdout by default. */
  readonly say?: (line: string) => void;
  /**
   * The runtime's clock: what the ledger records as now, what "now" means to the API and to the notifier. The
   * system's clock by default; a test that lets days pass gives its own.
   */
  readonly clock?: () => Date;
}

/** What `beforeListening` may use: the API without a socket, the token secret, the projector's progress. */
export interface PreparingRuntime {
  readonly fetch: (request: Request) => Promise<Response>;
  readonly jwtSecret: string | undefined;
  projected(): Promise<void>;
}

/** The API's port is taken; the message says how to pick another. */
export class PortInUseError extends LocalError {
  readonly code = 'port_in_use';
  constructor(port: number, options?: ErrorOptions) {
    super(`Port ${port} is already in use: set PORT to a free port (or PORT=0 for any free one).`, options);
    this.name = 'PortInUseError';
  }
}

/** In `AUTH_MODE=oidc`, the issuer's discovery document cannot be had or used: the runtime does not start. */
export class OidcProviderUnusableError extends LocalError {
  readonly code = 'oidc_provider_unusable';
  constructor(
    readonly issuer: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `AUTH_MODE=oidc: the OpenID provider OIDC_ISSUER=${issuer} cannot be used: ${reason}. Check OIDC_ISSUER (it must be the issuer exactly as the provider names itself) and that the provider is up.`,
      options,
    );
    this.name = 'OidcProviderUnusableError';
  }
}

/** Discovers the provider once, at start, so a wrong issuer stops the start instead of failing every request. */
async function discoverAtStart(auth: OidcAuthOptions): Promise<OidcProviderMetadata> {
  try {
    return await discoverOidcProvider(auth.issuer);
  } catch (error) {
    if (error instanceof OidcDiscoveryError)
      throw new OidcProviderUnusableError(auth.issuer, error.reason, { cause: error });
    throw error;
  }
}

/**
 * What the web application is told in `/app/config.json` to sign in at the provider, and the origins its page
 * must be let fetch: the issuer's (discovery) and the token endpoint's, which differ at some providers.
 */
function webSignInAtProvider(
  config: LocalConfig,
  auth: OidcAuthOptions,
  metadata: OidcProviderMetadata,
): { appConfig: AppConfig; connectOrigins: string[] } {
  return {
    appConfig: {
      signIn: {
        mode: 'oidc',
        issuer: auth.issuer,
        clientId: auth.clientId!,
        ...config.webSignIn,
        rolesClaim: auth.rolesClaim,
        piiScope: auth.piiScope,
        ...(auth.piiGroup && { piiGroup: auth.piiGroup }),
      },
    },
    connectOrigins: [
      new URL(auth.issuer).origin,
      ...(metadata.tokenEndpoint ? [new URL(metadata.tokenEndpoint).origin] : []),
    ],
  };
}

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, { cause: error }) : error);
    };
    server.once('error', onError);
    server.listen(port, API_HOST, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string')
        reject(new Error('the API server has no TCP address'));
      else resolve(address);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}

/** Runs the shutdown steps last-started-first; one failing step does not keep the others from running. */
async function runCleanups(cleanups: (() => Promise<void>)[], logger: Logger) {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      logger({ level: 'error', message: 'shutdown step failed', error: describeError(error) });
    }
  }
}

/**
 * The whole system on one machine: DynamoDB Local unless an endpoint is given,
 * the tables, the projector fed by a stream poller, and the API on `@hono/node-server` — the same app and the
 * same projector the Lambda functions run.
 *
 * @example
 * ```ts
 * const runtime = await startLocalRuntime(loadLocalConfig({ LEDGER_IN_MEMORY: '1', PORT: '0' }));
 * await fetch(`${runtime.url}/health`);
 * await runtime.stop();
 * ```
 */
export async function startLocalRuntime(
  config: LocalConfig,
  options: LocalRuntimeOptions = {},
): Promise<LocalRuntime> {
  const logger = options.logger ?? createJsonLinesLogger();
  const cleanups: (() => Promise<void>)[] = [];
  try {
    // First, before anything needs stopping: a provider out of reach, or a build that fails, stops the start
    // with nothing to undo.
    const oidcMetadata = config.auth.mode === 'oidc' ? await discoverAtStart(config.auth) : undefined;
    if (config.serveWeb) await ensureWebBuild({ ...(options.say && { say: options.say }) });

    // One runtime per data directory: a second DynamoDB Local on the same files would corrupt them, and the
    // second runtime would take over runtime.json. Taken before anything else touches the directory.
    const lock =
      config.dynamodb.endpoint === undefined && config.dataDir !== undefined
        ? await lockDataDir(config.dataDir, (line) => logger({ level: 'warn', message: line }))
        : undefined;
    if (lock) cleanups.push(() => lock.release());
    const dynamodb = config.dynamodb.endpoint
      ? undefined
      : await startDynamoDBLocal({ dataDir: config.dataDir });
    if (dynamodb) cleanups.push(() => dynamodb.stop());
    if (lock && dynamodb) await lock.update({ dynamodbPid: dynamodb.pid });
    if (dynamodb?.warning !== undefined) {
      logger({
        level: 'warn',
        message: 'DynamoDB Local listens on every interface',
        detail: dynamodb.warning,
      });
    }
    const endpoint = config.dynamodb.endpoint ?? dynamodb!.endpoint;
    const connection = { endpoint, ...(config.dynamodb.region && { region: config.dynamodb.region }) };

    const clients = createDynamoDBClients(connection);
    const streamsClient = createDynamoDBStreamsClient(connection);
    cleanups.push(async () => {
      clients.client.destroy();
      streamsClient.destroy();
    });
    const tables = await ensureTables(clients.client, config.tables).catch((error: unknown) => {
      // The first request to a given endpoint is where a wrong DYNAMODB_ENDPOINT shows: say so in words.
      const code = networkErrorCode(error);
      throw config.dynamodb.endpoint !== undefined && code !== undefined
        ? new DynamoDBUnreachableError(config.dynamodb.endpoint, code, { cause: error })
        : error;
    });

    // Without a configured secret this run makes one, and the banner says how to mint tokens with it.
    const jwtSecret =
      config.auth.mode === 'jwt-secret'
        ? (config.auth.secret ?? randomBytes(32).toString('base64url'))
        : undefined;
    const keys = await runtimeKeyWrapper(config);
    const clock = options.clock ?? (() => new Date());
    // One key for the links the notifier signs and the API checks: read (or made and kept) once, here.
    const linkSecret = await localLinkSecret(config.notify.linkSecret, config.dataDir);
    // The notifier starts after the listener (its links need the port); a confirmation asked for before then is
    // delivered by its first pass, which runs at its start.
    let notifyNow: (() => Promise<void>) | undefined;
    const logParts = await localLogParts({
      origin: config.log.origin,
      logDir: config.logDir,
      keyFile: config.logKeyFile,
      masterKeysHome: config.masterKeysHome,
      dataDir: config.dataDir,
    });
    cleanups.push(() => logParts.cleanup());
    const services = createServices({
      logParts: { tiles: logParts.tiles, signer: logParts.signer, witnesses: config.log.witnesses },
      clock,
      notifications: notificationDependencies({
        documents: clients.documents,
        tableName: config.tables.notifications,
        links: signedLinks(linkSecret),
        webhookTargets: config.notify.webhookPolicy,
        // So a person trying it sees the email at once, not at the next interval.
        afterConfirmationRequested: () => void notifyNow?.(),
      }),
      keyWrapper: keys.wrapper,
      clients,
      tables: config.tables,
      alertThresholds: config.alerts,
      auth: config.auth.mode === 'jwt-secret' ? { ...config.auth, secret: jwtSecret! } : config.auth,
      ...(oidcMetadata && { oidcMetadata }),
      ...(config.cursorSecret && { cursorSecret: config.cursorSecret }),
    });
    await keys.ready(services, logger);
    await claimLogDirectory(logParts.directory, services.logStore);
    await bringViewsToCurrentRevision({
      services,
      views: tables.views,
      clock,
      say: options.say ?? ((message) => logger({ level: 'info', message })),
    });
    const poller = await startStreamPoller({
      client: clients.client,
      streamsClient,
      tableName: config.tables.ledger,
      handler: services.projector,
      logger,
    });
    cleanups.push(() => poller.stop());
    // After the projector, as a third reader of the stream; its backfill takes in what was recorded before.
    const log = await startLocalLog({
      parts: logParts,
      store: services.logStore,
      audit: services.audit,
      client: clients.client,
      streamsClient,
      ledgerTable: config.tables.ledger,
      // Each checkpoint goes to the witnesses of LOG_WITNESSES for their cosignatures; none by default.
      ...(config.log.witnesses.length > 0 && { witnesses: httpWitnesses(config.log.witnesses) }),
      clock,
      logger,
    });
    cleanups.push(() => log.stop());

    await options.beforeListening?.({
      fetch: async (request) => services.app.fetch(request),
      jwtSecret,
      projected: () => poller.idle(),
    });

    let port: number | undefined;
    const host = createLocalHost({
      api: (request, env) => services.app.fetch(request, env),
      webDist: config.serveWeb ? WEB_DIST : undefined,
      logger,
      // The web application signs in at the provider; the local configuration requires its client id.
      ...(config.auth.mode === 'oidc' &&
        config.auth.clientId !== undefined &&
        oidcMetadata !== undefined &&
        webSignInAtProvider(config, config.auth, oidcMetadata)),
      // Only where this runtime holds the secret; and a browser reaches it at either name of loopback.
      signIn:
        jwtSecret === undefined || config.auth.mode !== 'jwt-secret'
          ? undefined
          : {
              secret: jwtSecret,
              rolesClaim: config.auth.rolesClaim,
              ownOrigins: () => [`http://${API_HOST}:${port}`, `http://localhost:${port}`],
            },
    });
    const server = createServer(getRequestListener(host.fetch));
    const address = await listen(server, config.port);
    port = address.port;
    cleanups.push(() => close(server));
    const url = `http://${API_HOST}:${address.port}`;
    await lock?.update({ apiUrl: url });

    // After the listener: the links in emails lead to this runtime's own /app/ unless APP_BASE_URL says where.
    const notifier = await startLocalNotifier({
      notify: { ...config.notify, linkSecret: { kind: 'value', secret: linkSecret } },
      clock,
      clients,
      streamsClient,
      tables: config.tables,
      alerts: config.alerts,
      dataDir: config.dataDir,
      appBaseUrl: `${url}/app/`,
      logger,
    });
    cleanups.push(() => notifier.stop());
    notifyNow = () => notifier.runNow();

    // `<dataDir>/runtime.json` tells `npx ledger` (local/cli) where this runtime's DynamoDB Local listens; it is
    // removed on stop. Only a launched DynamoDB Local with a data directory writes it: in memory there is no
    // directory, and with DYNAMODB_ENDPOINT the user already knows where the data is.
    if (dynamodb && config.dataDir) {
      cleanups.push(
        await writeRuntimeFile(config.dataDir, {
          dynamodbEndpoint: endpoint,
          apiUrl: url,
          pid: process.pid,
          tables: config.tables,
        }),
      );
    }

    let stopping: Promise<void> | undefined;
    return {
      url,
      webUrl: config.serveWeb ? `${url}/app/` : undefined,
      dynamodbEndpoint: endpoint,
      dynamodbPid: dynamodb?.pid,
      dynamodbWarning: dynamodb?.warning,
      storage: config.dynamodb.endpoint ?? config.dataDir ?? 'memory',
      jwtSecret,
      jwtSecretGenerated: config.auth.mode === 'jwt-secret' && config.auth.secret === undefined,
      projected: () => poller.idle(),
      mail: notifier.mail,
      notifyNow: () => notifier.runNow(),
      notifierCaughtUp: () => notifier.caughtUp(),
      logDir: logParts.directory,
      logCaughtUp: () => log.caughtUp(),
      stop() {
        stopping ??= runCleanups(cleanups, logger);
        return stopping;
      },
    };
  } catch (error) {
    await runCleanups(cleanups, logger);
    throw error;
  }
}
