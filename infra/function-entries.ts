import path from 'node:path';

/** The repository's root: where `package-lock.json` is, and the root esbuild resolves modules from. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** The Lambda entry points the stack bundles (besides the table definitions, all it takes from `functions/`). */
export const FUNCTION_ENTRIES = {
  api: path.join(REPO_ROOT, 'functions/api/handler.ts'),
  /** The same API on a function URL that streams its answers (exports of any size). */
  apiStream: path.join(REPO_ROOT, 'functions/api/stream-handler.ts'),
  projector: path.join(REPO_ROOT, 'functions/projector/handler.ts'),
  digest: path.join(REPO_ROOT, 'functions/digest/handler.ts'),
  /** The notifier: on a schedule (alerts raised and resolved, digests, the outbox) and on the ledger's stream. */
  notifier: path.join(REPO_ROOT, 'functions/notify/handlers/notifier-handler.ts'),
  /** Delivers the webhooks the notifier hands to the queue, one notice per message. */
  webhooks: path.join(REPO_ROOT, 'functions/notify/handlers/webhook-queue-handler.ts'),
  /** The transparency log's integrator: on the ledger's stream, and on a schedule (backfill, publish). */
  logIntegrator: path.join(REPO_ROOT, 'functions/log/handlers/integrator-handler.ts'),
} as const;
