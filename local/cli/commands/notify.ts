import { resolve } from 'node:path';
import { loadRuntimeConfig } from '../../../functions/config.ts';
import type { RunSummary } from '../../../functions/notify/notifier.ts';
import { loadNotifyConfig } from '../../../functions/notify/notify-config.ts';
import { localNotifier } from '../../local-notifier.ts';
import { CommandFailure, EXIT } from '../cli-errors.ts';
import type { CommandContext } from '../command-context.ts';
import { writeText } from '../write-text.ts';

export interface NotifyCommandOptions {
  /** The moment the pass is as of; now when unset. */
  readonly at?: Date;
}

export interface NotifyReport {
  readonly exitCode: number;
  readonly summary: RunSummary;
}

/**
 * `ledger notify`: one notifier pass, as the local runtime's interval (or the schedule on AWS) runs it: alerts
 * raised and resolved for each subscription, the daily digests due, and every due notice sent, with the
 * local runtime's settings (SMTP_URL, or `.eml` files in the data directory's `mail/`). `--at` runs it as of
 * another moment, for a test clock or a desk trying a threshold; the notices it books are kept as of then.
 * Prints what it did as JSON; exits 1 when a delivery failed (it is retried by the next pass).
 */
export async function runNotify(
  context: CommandContext,
  options: NotifyCommandOptions = {},
): Promise<NotifyReport> {
  const target = context.target;
  if (target === undefined) throw new CommandFailure('notify needs the tables of a ledger to work on.');
  if (target.via === 'aws') {
    throw new CommandFailure(
      'On AWS the notifier is a Lambda function with its own SES identity and queue: invoke it instead, ' +
        "`aws lambda invoke --function-name <the stack's Notifier function> out.json`. " +
        'This command runs the notifier against a local runtime or DYNAMODB_ENDPOINT.',
    );
  }
  const notify = loadNotifyConfig(target.env, 'local');
  const dataDir = target.dataDir ?? resolve(target.env.LEDGER_DATA_DIR || '.ledger-data');
  const appBaseUrl = target.apiUrl ? `${target.apiUrl}/app/` : 'http://127.0.0.1:3000/app/';
  const at = options.at ?? context.clock();
  const { notifier, mail } = await localNotifier({
    notify,
    clients: target.clients,
    tables: target.tables,
    // The same thresholds as the API's (the target was resolved with this configuration, so it reads).
    alerts: loadRuntimeConfig(target.env).alerts,
    dataDir,
    appBaseUrl,
    clock: () => at,
  });
  await writeText(
    context.stderr,
    `Notifier pass as of ${at.toISOString()}; emails ${mail.kind === 'smtp' ? `to ${mail.server}` : `to ${mail.folder}`}.\n`,
  );
  const summary = await notifier.run(at);
  await writeText(context.stdout, `${JSON.stringify({ at: at.toISOString(), ...summary }, null, 2)}\n`);
  await writeText(
    context.stderr,
    `${summary.raised} alert(s) raised, ${summary.resolved} resolved, ${summary.digests} digest(s), ` +
      `${summary.delivered} notice(s) sent, ${summary.failed} failed (tried again by the next pass).\n`,
  );
  return { exitCode: summary.failed > 0 ? EXIT.failed : EXIT.ok, summary };
}
