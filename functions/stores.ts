import type { DynamoDBClients } from './dynamodb-clients.ts';
import { LogStore } from './log/log-store.ts';
import { CaseKeys } from './personal-data/case-keys.ts';
import type { KeyWrapper } from './personal-data/key-wrapper.ts';
import { noKeyWrapper } from './personal-data/no-key-wrapper.ts';
import { SubjectVault } from './personal-data/subject-vault.ts';
import { AuditFeed } from './store/audit-feed.ts';
import { DigestStore } from './store/digest-store.ts';
import { LedgerStore } from './store/ledger-store.ts';
import { TamperLog } from './store/tamper-log.ts';
import { ViewStore } from './store/view-store.ts';
import type { TableNames } from './tables/ensure-tables.ts';

export interface StoreOptions {
  readonly clients: DynamoDBClients;
  readonly tables: TableNames;
  /** The transaction-time clock; tests pass their own. */
  readonly clock?: () => Date;
  /**
   * Wraps the per-case keys of personal data. Without one the process holds no key: it cannot open
   * cases or show subjects, as the projector, digest function and command line need not.
   */
  readonly keyWrapper?: KeyWrapper;
}

/**
 * The stores over one set of clients and tables, and the clock they share. Every entry point starts here and
 * adds only what it serves (the API, the projector), so that no Lambda function bundles or builds another's
 * code: a function's cold start is the time to load and run its module.
 */
export function createStores(options: StoreOptions) {
  const clock = options.clock ?? (() => new Date());
  const { documents } = options.clients;
  const caseKeys = new CaseKeys({
    documents,
    tableName: options.tables.keys,
    wrapper: options.keyWrapper ?? noKeyWrapper,
    clock,
  });
  const subjects = new SubjectVault(caseKeys);
  const ledger = new LedgerStore({ documents, tableName: options.tables.ledger, clock, subjects });
  return {
    clock,
    caseKeys,
    subjects,
    ledger,
    views: new ViewStore({ documents, tableName: options.tables.views }),
    digests: new DigestStore({ documents, ledger }),
    audit: new AuditFeed({ documents, tableName: options.tables.ledger }),
    tamperLog: new TamperLog({ documents, tableName: options.tables.ledger }),
    log: new LogStore({ documents, tableName: options.tables.log }),
  };
}

export type Stores = ReturnType<typeof createStores>;
