import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENTRIES } from '../../infra/function-entries.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

let synth: LedgerTemplate;
beforeAll(() => {
  synth = synthLedgerTemplate();
});

describe('the streaming API (exports beyond API Gateway’s 6 MB)', () => {
  it('is served by the streaming entry point', () => {
    expect(FUNCTION_ENTRIES.apiStream).toMatch(/functions\/api\/stream-handler\.ts$/);
  });

  it('has a function URL that streams its answers and takes only IAM-signed requests (for CloudFront’s origin access control)', () => {
    synth.template.resourceCountIs('AWS::Lambda::Url', 1);
    synth.template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      InvokeMode: 'RESPONSE_STREAM',
      TargetFunctionArn: {
        'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.streamingApi.function), 'Arn'],
      },
    });
    // Nobody is allowed to invoke the URL without signing: no public permission is added.
    const permissions = Object.values(synth.template.findResources('AWS::Lambda::Permission')).map(
      (permission) => (permission as { Properties: Record<string, unknown> }).Properties,
    );
    expect(permissions.filter((permission) => permission.FunctionUrlAuthType === 'NONE')).toEqual([]);
    expect(permissions.filter((permission) => permission.Principal === '*')).toEqual([]);
  });

  it('is given on the stack and in its outputs', () => {
    const urlId = logicalIdOf(synth.stack, synth.stack.streamingApi.url);
    expect(synth.stack.resolve(synth.stack.streamingUrl)).toEqual({ 'Fn::GetAtt': [urlId, 'FunctionUrl'] });
    synth.template.hasOutput('StreamingApiUrl', { Value: { 'Fn::GetAtt': [urlId, 'FunctionUrl'] } });
  });

  it('may stream for minutes, not API Gateway’s 29 seconds', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'detention-ledger API, streamed: exports of any size on a function URL',
      Timeout: 300,
    });
  });
});
