import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { REPO_ROOT } from '../../infra/function-entries.ts';
import { createLedgerApp, type LedgerApp } from '../../infra/ledger-app.ts';

/** The context `cdk.json` gives the CLI (feature flags included), so tests build what `cdk synth` builds. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export interface LedgerTemplate extends LedgerApp {
  readonly template: Template;
}

/** A stand-in for `web/dist`, so that template tests need no build of the web application. */
export const WEB_DIST_FIXTURE = 'test/infra/fixtures/web-dist';

/**
 * The app as `cdk synth` builds it, with extra context, and its stack's template. Bundling is skipped (an
 * empty `aws:cdk:bundling-stacks`), which keeps this to a second; `cdk-synth.test.ts` bundles for real. The web
 * application is the fixture build unless the context names another.
 */
export function synthLedgerTemplate(context: Record<string, unknown> = {}): LedgerTemplate {
  const ledgerApp = createLedgerApp({
    context: { ...cdkJsonContext(), webDist: WEB_DIST_FIXTURE, ...context, 'aws:cdk:bundling-stacks': [] },
  });
  return { ...ledgerApp, template: Template.fromStack(ledgerApp.stack) };
}

/** The logical id of a construct's CloudFormation resource, for matching references in the template. */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}
