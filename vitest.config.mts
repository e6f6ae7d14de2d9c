import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Local master keys live under the user's config folder; a test run must never write to the real one.
const configHome = mkdtempSync(join(tmpdir(), 'ledger-test-config-'));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Storage suites share one DynamoDB Local (each file makes its own tables); two cores, so few workers. Not
    // more: the slow files are busy, not waiting — alone, a property file keeps more than one core at work (its
    // own process and DynamoDB Local's Java), so a third worker would only take CPU from the other two.
    maxWorkers: 2,
    // Generous: several suites start processes (DynamoDB Local, npm start, Chromium) and seed tables, which on
    // two busy cores has taken over a minute; a timeout here only says a test hung, never how fast it was.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      DDB_LOCAL_TELEMETRY: '0',
      XDG_CONFIG_HOME: configHome,
    },
  },
});
