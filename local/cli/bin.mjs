#!/usr/bin/env node
// The `ledger` command (package.json "bin"): registers tsx's ESM loader in this process and runs the
// TypeScript entry point, so `npx ledger` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
