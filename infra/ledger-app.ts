import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseStackConfig, type StackConfig } from './config/stack-config.ts';
import { LedgerStack, stackNameFor } from './ledger-stack.ts';

export interface LedgerApp {
  readonly app: App;
  readonly stack: LedgerStack;
  readonly config: StackConfig;
}

/**
 * The CDK app: one stack for the stage named in the context, configured and validated from the context, and
 * checked by cdk-nag's AWS Solutions rules, so an unacknowledged finding fails the synth. `app.ts` runs it
 * for the CLI; the tests build it the same way.
 *
 * @throws StackConfigError when the context is invalid, before anything is built.
 */
export function createLedgerApp(props: AppProps = {}): LedgerApp {
  const app = new App(props);
  const config = parseStackConfig(app.node.getAllContext());
  const stack = new LedgerStack(app, stackNameFor(config.stage), {
    config,
    description: `detention-ledger (${config.stage}): append-only ledger of detention events, its API and projector`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, config };
}
