import { createServices, type ServiceOptions } from '../../functions/services.ts';
import type { TestTables } from './test-tables.ts';
import { testAuth } from './tokens.ts';

/**
 * The system over a test file's tables: tokens checked with `testAuth`, case keys wrapped by the file's own
 * master key. Options override any of it (a clock, another auth mode, other tables).
 *
 * @example
 * ```ts
 * const services = servicesOn(db, { clock: () => now });
 * ```
 */
export function servicesOn(db: TestTables, options: Partial<ServiceOptions> = {}) {
  return createServices({
    auth: testAuth,
    clients: db.clients,
    tables: db.tables,
    keyWrapper: db.keyWrapper,
    ...options,
  });
}
