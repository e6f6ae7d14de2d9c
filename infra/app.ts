import { StackConfigError } from './config/stack-config.ts';
import { createLedgerApp } from './ledger-app.ts';

try {
  createLedgerApp().app.synth();
} catch (error) {
  if (!(error instanceof StackConfigError)) throw error;
  // A configuration mistake is the user's to fix: say what is wrong, without a stack trace.
  console.error(error.message);
  process.exitCode = 1;
}
