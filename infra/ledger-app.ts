import { existsSync } from 'node:fs';
import path from 'node:path';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseStackConfig, type StackConfig, StackConfigError } from './config/stack-config.ts';
import { REPO_ROOT } from './function-entries.ts';
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
 * @throws StackConfigError when the context is invalid or the web application is not built, before anything
 * is built.
 */
export function createLedgerApp(props: AppProps = {}): LedgerApp {
  const app = new App(props);
  const config = parseStackConfig(app.node.getAllContext());
  requireWebBuild(config.webDist);
  const stack = new LedgerStack(app, stackNameFor(config.stage), {
    config,
    description: `detention-ledger (${config.stage}): append-only ledger of detention events, its API and projector`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, config };
}

/** The stack deploys the built web application: without a build, say how to make one, before anything is built. */
function requireWebBuild(webDist: string): void {
  const dir = path.resolve(REPO_ROOT, webDist);
  if (existsSync(path.join(dir, 'index.html')) && existsSync(path.join(dir, 'assets'))) return;
  throw new StackConfigError([
    `webDist: no built web application at ${dir} (index.html and assets/): run \`npm run web:build\` first, or give the folder of a build with -c webDist=<folder> (got ${JSON.stringify(webDist)})`,
  ]);
}
