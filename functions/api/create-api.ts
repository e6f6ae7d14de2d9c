import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { type AlertThresholds, DEFAULT_ALERT_THRESHOLDS } from '../../domain/alerts.ts';
import type { AuthOptions } from '../config.ts';
import type { LogReads } from '../log/log-reads.ts';
import type { Stores } from '../stores.ts';
import { createApp } from './app.ts';
import { AudienceParameterReader } from './auth/audience-parameter.ts';
import {
  type Authenticator,
  apiGatewayAuthenticator,
  sharedSecretAuthenticator,
} from './auth/authenticators.ts';
import { oidcAuthenticator } from './auth/oidc-authenticator.ts';
import type { OidcProviderMetadata } from './auth/oidc-discovery.ts';
import { CursorCodec } from './cursor.ts';
import type { NotificationDependencies } from './notifications/notification-access.ts';

export interface ApiOptions {
  /** Makes event and case ids; tests pass their own. */
  readonly newId?: () => string;
  /** Default alert thresholds: the configuration's, or the design's defaults. */
  readonly alertThresholds?: AlertThresholds;
  /** The key that signs pagination cursors, or what gives the current one; random per process when absent. */
  readonly cursorSecret?: string | (() => string);
  /** How callers are authenticated; without it, tokens signed with a random secret: nobody gets in. */
  readonly auth?: AuthOptions;
  /** In `oidc` mode, the provider as discovered at start; without it, discovered on the first request. */
  readonly oidcMetadata?: OidcProviderMetadata;
  /** In `oidc` mode, how long an unknown key id is refused before the key set is fetched again (jose's 30 s). */
  readonly jwksCooldownMs?: number;
  /** Structured JSON logs; Powertools' logger by default. */
  readonly logger?: Logger;
  /**
   * Subscriptions and webhook endpoints (`notificationDependencies` builds them over the notifications table);
   * without them those routes answer 503.
   */
  readonly notifications?: NotificationDependencies;
  /** The transparency log's reads (`createLogReads`); without them the `/log/` routes answer 503. */
  readonly log?: LogReads;
}

/**
 * The API app over the stores: what the API's Lambda function builds, and nothing more, so its bundle holds
 * neither the projector nor the digest schedule.
 */
export function createApi(stores: Stores, options: ApiOptions = {}) {
  const { clock, ledger, views, digests, audit, subjects, tamperLog } = stores;
  return createApp({
    authenticate: authenticatorFor(
      options.auth ?? { mode: 'jwt-secret', rolesClaim: 'cognito:groups' },
      clock,
      options,
    ),
    ledger,
    views,
    digests,
    audit,
    subjects,
    tamperLog,
    clock,
    newId: options.newId ?? randomUUID,
    logger: options.logger ?? new Logger({ serviceName: 'detention-ledger' }),
    cursors: new CursorCodec({ clock, ...(options.cursorSecret && { secret: options.cursorSecret }) }),
    alertThresholds: options.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS,
    ...(options.notifications && { notifications: options.notifications }),
    ...(options.log && { log: options.log }),
  });
}

function authenticatorFor(
  auth: AuthOptions,
  clock: () => Date,
  options: Pick<ApiOptions, 'oidcMetadata' | 'jwksCooldownMs'>,
): Authenticator {
  if (auth.mode === 'api-gateway') {
    return apiGatewayAuthenticator({
      rolesClaim: auth.rolesClaim,
      pii: {
        ...(auth.piiScope !== undefined && { scope: auth.piiScope }),
        ...(auth.piiGroup !== undefined && { group: auth.piiGroup }),
      },
    });
  }
  if (auth.mode === 'oidc') {
    const audienceParameter =
      auth.audienceParameter === undefined
        ? undefined
        : new AudienceParameterReader({ name: auth.audienceParameter });
    return oidcAuthenticator({
      issuer: auth.issuer,
      audiences: auth.audiences,
      ...(audienceParameter && { moreAudiences: () => audienceParameter.audiences() }),
      rolesClaim: auth.rolesClaim,
      piiScope: auth.piiScope,
      ...(auth.piiGroup !== undefined && { piiGroup: auth.piiGroup }),
      clock,
      ...(options.oidcMetadata && { metadata: options.oidcMetadata }),
      ...(options.jwksCooldownMs !== undefined && { jwksCooldownMs: options.jwksCooldownMs }),
    });
  }
  return sharedSecretAuthenticator({
    secret: auth.secret ?? randomBytes(32).toString('base64url'),
    rolesClaim: auth.rolesClaim,
  });
}
