import type { Logger } from '@aws-lambda-powertools/logger';
import type { AlertThresholds } from '../../domain/alerts.ts';
import type { SubjectVault } from '../personal-data/subject-vault.ts';
import type { AuditFeed } from '../store/audit-feed.ts';
import type { DigestStore } from '../store/digest-store.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import type { TamperLog } from '../store/tamper-log.ts';
import type { ViewStore } from '../store/view-store.ts';
import type { Authenticator } from './auth/authenticators.ts';
import type { Principal } from './auth/principal.ts';
import type { CursorCodec } from './cursor.ts';

/** The Hono environment of the API: what middleware puts on the context for handlers. */
export interface AppEnv {
  Variables: { principal: Principal };
}

/** What the API needs from outside: stores, the clock and an id generator, all passed in so tests pass theirs. */
export interface ApiDependencies {
  readonly ledger: LedgerStore;
  readonly views: ViewStore;
  readonly digests: DigestStore;
  readonly audit: AuditFeed;
  readonly tamperLog: TamperLog;
  /** Seals, opens and erases the subjects of cases. */
  readonly subjects: SubjectVault;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly cursors: CursorCodec;
  /** Finds who is calling: a shared-secret JWT locally, API Gateway's verified claims on AWS. */
  readonly authenticate: Authenticator;
  /** The thresholds `GET /alerts` uses unless a call overrides them. */
  readonly alertThresholds: AlertThresholds;
  readonly logger?: Pick<Logger, 'error' | 'warn' | 'info'>;
}
