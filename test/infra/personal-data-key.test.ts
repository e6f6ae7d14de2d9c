import { App, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PERSONAL_DATA_KEY_ACTIONS,
  PERSONAL_DATA_KEY_ADMIN_ACTIONS,
  PersonalDataKey,
} from '../../infra/constructs/personal-data-key.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: { AWS: unknown };
  readonly Action: string[];
  readonly Resource: string;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const BREAK_GLASS = 'arn:aws:iam::111122223333:role/ledger-break-glass';
const ACCOUNT_ROOT = {
  AWS: {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
  },
};

let synth: LedgerTemplate;
let statements: Statement[];
/** The roles of the API's two functions (behind API Gateway, and streaming on a function URL). */
let apiRoleArns: unknown;

function keyResourceOf(of: LedgerTemplate) {
  return of.template.findResources('AWS::KMS::Key')[logicalIdOf(of.stack, of.stack.personalDataKey.key)] as {
    DeletionPolicy: string;
    UpdateReplacePolicy: string;
    Properties: { EnableKeyRotation: boolean; Description: string; KeyPolicy: { Statement: Statement[] } };
  };
}

function statementsOf(of: LedgerTemplate): Statement[] {
  return keyResourceOf(of).Properties.KeyPolicy.Statement;
}

/** The statements that apply to `action`, with their effect and whom they name. */
function statementsFor(action: string, among: Statement[] = statements): Statement[] {
  return among.filter((statement) => statement.Action.includes(action));
}

beforeAll(() => {
  synth = synthLedgerTemplate();
  statements = statementsOf(synth);
  apiRoleArns = [synth.stack.apiFunction.role, synth.stack.streamingApi.role].map((role) => ({
    'Fn::GetAtt': [logicalIdOf(synth.stack, role), 'Arn'],
  }));
});

describe('the personal-data key, which wraps the case keys', () => {
  it('is a rotated KMS key with a description, kept when the stack is deleted', () => {
    // With the log's signing key, which signs and never encrypts (log.test.ts).
    synth.template.resourceCountIs('AWS::KMS::Key', 2);
    expect(keyResourceOf(synth)).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { EnableKeyRotation: true, Description: expect.stringMatching(/case keys/) },
    });
  });

  it("is used by the API's roles alone, to make and unwrap data keys with the case id as the only encryption context", () => {
    // The key policy confines use to the role by `aws:PrincipalArn`; the role's own policy allows the same
    // (test/infra/table-access.test.ts), and KMS needs both.
    const allowsUse = statements.filter(
      (statement) =>
        statement.Effect === 'Allow' &&
        statement.Action.some((action) => /Decrypt|Encrypt|DataKey/.test(action)),
    );
    expect(allowsUse).toEqual([
      {
        Sid: 'ApiWrapsAndUnwrapsCaseKeys',
        Effect: 'Allow',
        Principal: ACCOUNT_ROOT,
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': apiRoleArns },
          'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['caseId'] },
          Null: { 'kms:EncryptionContext:caseId': 'false' },
        },
      },
    ]);
    expect([...PERSONAL_DATA_KEY_ACTIONS].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('refuses every use, and every grant, to any principal but the API roles, whatever IAM allows them', () => {
    expect(statements.find((statement) => statement.Sid === 'NobodyElseUsesIt')).toEqual({
      Sid: 'NobodyElseUsesIt',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyPair',
        'kms:GenerateDataKeyPairWithoutPlaintext',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
      ],
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': apiRoleArns } },
    });
  });

  it('lets the account manage the key through IAM, never use it: no `kms:*` and no cryptographic action', () => {
    // Every statement that allows the account anything without confining it to one role by a condition.
    const account = statements.filter(
      (statement) =>
        statement.Effect === 'Allow' &&
        JSON.stringify(statement.Principal) === JSON.stringify(ACCOUNT_ROOT) &&
        statement.Condition?.ArnEquals === undefined,
    );
    expect(account.map((statement) => statement.Sid)).toEqual(['AccountManagesButDoesNotUse']);
    const actions = account.flatMap((statement) => statement.Action);
    expect(actions.sort()).toEqual([...PERSONAL_DATA_KEY_ADMIN_ACTIONS].sort());
    expect(actions.filter((action) => /\*|Decrypt|Encrypt|DataKey|CreateGrant/.test(action))).toEqual([]);
  });

  it('keeps the account able to change the key policy, so the key can never be locked out of management', () => {
    expect(statementsFor('kms:PutKeyPolicy')).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: ACCOUNT_ROOT, Resource: '*' }),
    ]);
    expect(statementsFor('kms:PutKeyPolicy')[0]).not.toHaveProperty('Condition');
    expect(statements.filter((s) => s.Effect === 'Deny').flatMap((s) => s.Action)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/PutKeyPolicy|\*/)]),
    );
  });

  it('denies disabling or deleting it to everyone when no break-glass principal is named', () => {
    for (const action of ['kms:ScheduleKeyDeletion', 'kms:DisableKey']) {
      const denials = statementsFor(action).filter((statement) => statement.Effect === 'Deny');
      expect(denials, action).toEqual([
        {
          Sid: 'OnlyBreakGlassDisablesOrDeletes',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
          Resource: '*',
        },
      ]);
    }
  });

  it('denies disabling or deleting it to everyone but the break-glass principal named by context', () => {
    const named = statementsOf(synthLedgerTemplate({ breakGlassPrincipalArn: BREAK_GLASS }));
    expect(named.find((statement) => statement.Sid === 'OnlyBreakGlassDisablesOrDeletes')).toEqual({
      Sid: 'OnlyBreakGlassDisablesOrDeletes',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': BREAK_GLASS } },
    });
    // Naming a break-glass principal changes nothing else in the policy.
    const others = (all: Statement[]) => all.filter((s) => s.Sid !== 'OnlyBreakGlassDisablesOrDeletes');
    expect(others(named)).toEqual(others(statements));
  });

  it('has one user only: granting it to a second role is refused at synth', () => {
    const stack = new Stack(new App(), 'Keys');
    const key = new PersonalDataKey(stack, 'PersonalDataKey');
    const role = (id: string) =>
      new Role(stack, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    key.grantWrapAndUnwrap(role('First'));
    expect(() => key.grantWrapAndUnwrap(role('Second'))).toThrow(/used by Keys\/First alone/);
  });
});
