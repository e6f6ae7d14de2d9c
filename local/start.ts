/**
 * `npm start`: the whole ledger on this machine. A thin shell around
 * `startLocalRuntime`: read the configuration, start, print where things are, stop on Ctrl-C.
 */
import './sdk-node-notice.ts';
import { loadLocalConfig } from './local-config.ts';
import { startLocalRuntime } from './local-runtime.ts';
import { runtimeBanner } from './runtime-banner.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import { isUserFacingError } from './user-facing-errors.ts';

const HELP = `Usage: npm start            (or: npx tsx local/start.ts [--help])

Runs the detention ledger on this machine: DynamoDB Local (needs Java 17+; a JDK binds it to 127.0.0.1), the
ledger and views tables, the projector and the notifier fed by the ledger's stream, and the HTTP API on 127.0.0.1, with the web
application at /app/ (built first when web/dist is missing or older than its sources).

Environment:
  PORT               API port on 127.0.0.1 (default 3000; 0 picks a free one)
  DYNAMODB_ENDPOINT  use this DynamoDB instead of launching DynamoDB Local
  LEDGER_TABLE       ledger table name (default ledger), created if missing
  VIEWS_TABLE        views table name (default views), created if missing
  LEDGER_DATA_DIR    where DynamoDB Local keeps its data (default .ledger-data/ in the working directory);
                     one runtime per folder: a second start on it refuses and names the first
  LEDGER_IN_MEMORY   1: keep the data in memory only, lost on exit
  XDG_CONFIG_HOME    where the data directory's master keys are kept, outside it (default ~/.config:
                     detention-ledger/master-keys/); a new one replaces the old at each erasure
  LEDGER_MASTER_KEY  a master key of your own instead (never replaced: erasures leave remnants it opens)
  ALERT_CONSULAR_VISIT_DAYS, ALERT_CUSTODY_EXPIRING_DAYS, ALERT_NO_NEWS_DAYS
                     default alert thresholds in days (30, 14, 60)
  LEDGER_CURSOR_SECRET
                     key that signs pagination cursors (default: random per start)
  LEDGER_WEB         off: the API alone, with no web application at /app/, no build on start and no
                     POST /local/sign-in (default on)
  AUTH_MODE          jwt-secret (default: tokens signed with LEDGER_JWT_SECRET, minted here) or oidc
                     (access tokens of an OpenID provider, verified here against its published keys):
  OIDC_ISSUER        the provider's issuer URL (required; https, or http on loopback); checked at start
  OIDC_AUDIENCE      the audience(s) the tokens must name, comma-separated (required)
  OIDC_CLIENT_ID     the web application's client id at the provider (required unless LEDGER_WEB=off)
  LEDGER_ROLES_CLAIM the claim that lists the roles (default cognito:groups; realm_access.roles reads nested)
  OIDC_PII_SCOPE, OIDC_PII_GROUP
                     the scope (default pii) or group that grants personal data in clear
  OIDC_SCOPES        what the web application asks the provider for (default: openid profile email)
  OIDC_RESOURCE      the resource indicator (RFC 8707) the web application asks tokens for, when the
                     provider needs one to put the API's audience in them
  OIDC_SIGN_OUT_URL  where signing out goes when the provider's discovery has no end_session_endpoint
  OIDC_PROVIDER_NAME how the sign-in button names the provider, e.g. your organisation (default: "Sign in")
  NOTIFICATIONS_TABLE subscriptions and the outbox (default notifications), created if missing
  SMTP_URL           where notification emails go (smtp://host:port); unset: .eml files in <data dir>/mail/
  NOTIFY_FROM        their sender (default detention-ledger@localhost)
  APP_BASE_URL       where links in emails lead (default this runtime's /app/)
  NOTIFY_LINK_SECRET key of the confirm and unsubscribe links (default: kept in <data dir>/notify-link.secret)
  NOTIFY_INTERVAL_SECONDS
                     how often the notifier runs (default 60)
  WEBHOOKS_ALLOW_LOOPBACK, WEBHOOKS_ALLOW_HTTP
                     1: let webhook endpoints be on this machine, or plain http (default 0: public https only)
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const config = loadLocalConfig();
  const runtime = await startLocalRuntime(config);
  stopOnSignals(() => runtime.stop());
  console.log(runtimeBanner(runtime, config));
}

main().catch((error: unknown) => {
  console.error(isUserFacingError(error) ? error.message : error);
  process.exit(1);
});
