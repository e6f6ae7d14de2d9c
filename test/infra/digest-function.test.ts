import { existsSync } from 'node:fs';
import type { Rule } from 'aws-cdk-lib/aws-events';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTINUE_ONLY } from '../../functions/digest/digest-input.ts';
import { FUNCTION_ENTRIES } from '../../infra/function-entries.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

let synth: LedgerTemplate;

beforeAll(() => {
  synth = synthLedgerTemplate();
});

function rulesOf(template: LedgerTemplate) {
  const all = template.template.findResources('AWS::Events::Rule');
  const { schedule, continueSchedule } = template.stack.digest;
  // The digest's two among the stack's rules: those that invoke the digest function.
  const digestArn = JSON.stringify({
    'Fn::GetAtt': [logicalIdOf(template.stack, template.stack.digest.function), 'Arn'],
  });
  const rules = Object.fromEntries(
    Object.entries(all).filter(([, rule]) => JSON.stringify(rule).includes(digestArn)),
  );
  expect(Object.keys(rules).sort()).toEqual(
    [logicalIdOf(template.stack, schedule), logicalIdOf(template.stack, continueSchedule)].sort(),
  );
  const properties = (rule: Rule) =>
    (rules[logicalIdOf(template.stack, rule)] as { Properties: Record<string, unknown> }).Properties;
  return { schedule: properties(schedule), continueSchedule: properties(continueSchedule) };
}

function scheduleOf(template: LedgerTemplate) {
  return rulesOf(template).schedule;
}

describe('the digest function', () => {
  it('bundles the digest entry point', () => {
    expect(FUNCTION_ENTRIES.digest).toMatch(/functions\/digest\/handler\.ts$/);
    expect(existsSync(FUNCTION_ENTRIES.digest)).toBe(true);
  });

  it("has the memory and Lambda's longest run to read every case's head", () => {
    const fn = synth.template.findResources('AWS::Lambda::Function')[
      logicalIdOf(synth.stack, synth.stack.digest.function)
    ] as { Properties: Record<string, unknown> };
    expect(fn.Properties).toMatchObject({ MemorySize: 1024, Timeout: 900, Handler: 'index.handler' });
  });

  it('runs daily by default, on an EventBridge schedule that invokes it and nothing else', () => {
    const functionArn = { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.digest.function), 'Arn'] };
    expect(scheduleOf(synth)).toMatchObject({
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Targets: [{ Arn: functionArn, Id: expect.any(String) }],
    });
    expect(scheduleOf(synth).EventPattern).toBeUndefined();
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: functionArn,
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.digest.schedule), 'Arn'] },
    });
  });

  it('is invoked every 20 minutes to continue a run that did not fit one invocation, and only that', () => {
    const functionArn = { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.digest.function), 'Arn'] };
    const { continueSchedule } = rulesOf(synth);
    expect(continueSchedule).toMatchObject({
      ScheduleExpression: 'rate(20 minutes)',
      State: 'ENABLED',
      Targets: [{ Arn: functionArn, Id: expect.any(String) }],
    });
    const [target] = continueSchedule.Targets as { Input: string }[];
    expect(JSON.parse(target!.Input)).toEqual(CONTINUE_ONLY);
  });

  it('runs on the schedule given as context', () => {
    const nightly = synthLedgerTemplate({ digestSchedule: 'cron(0 3 * * ? *)' });
    expect(scheduleOf(nightly).ScheduleExpression).toBe('cron(0 3 * * ? *)');
  });
});
