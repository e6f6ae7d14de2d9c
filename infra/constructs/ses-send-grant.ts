import { Stack } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { LedgerFunction } from './ledger-function.ts';

/** Who notification emails are from, and the verified SES identity that lets them be. */
export interface NotifySender {
  readonly from: string;
  readonly sesIdentity: string;
}

/** The ARN of an SES identity of the stack's account and region. */
export function sesIdentityArn(stack: Stack, identity: string): string {
  return stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
}

/**
 * Lets a function send email as the configured identity and from the configured address, and nothing else:
 * the resource is that identity's ARN (never `*`, which would let a stolen role send as any identity of the
 * account), and the `ses:FromAddress` condition pins the sender. SES v2 `SendEmail` is authorized as
 * `ses:SendEmail`; `ses:SendRawEmail` covers raw MIME sends. The function is told the identity and sender
 * (`SES_IDENTITY`, `NOTIFY_FROM`).
 */
export function grantSendEmail(fn: LedgerFunction, sender: NotifySender): Grant {
  fn.function.addEnvironment('NOTIFY_FROM', sender.from);
  fn.function.addEnvironment('SES_IDENTITY', sender.sesIdentity);
  return Grant.addToPrincipal({
    grantee: fn.role,
    actions: ['ses:SendEmail', 'ses:SendRawEmail'],
    resourceArns: [sesIdentityArn(Stack.of(fn), sender.sesIdentity)],
    conditions: { StringEquals: { 'ses:FromAddress': sender.from } },
  });
}
