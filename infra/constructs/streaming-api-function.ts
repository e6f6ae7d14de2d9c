import { Duration } from 'aws-cdk-lib';
import { FunctionUrlAuthType, type IFunctionUrl, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries.ts';
import { type ApiFunctionProps, apiEnvironment, grantApiAccess, grantCursorSecret } from './api-function.ts';
import { LedgerFunction } from './ledger-function.ts';

export interface StreamingApiFunctionProps extends ApiFunctionProps {
  /** The API function's cursor key: a cursor one function signs, the other accepts. */
  readonly cursorSecret: ISecret;
}

/**
 * The API on a Lambda function URL in response-stream mode (`functions/api/stream-handler.ts`): API Gateway
 * buffers every answer and cuts it at 6 MB, so a desk's full CSV or NDJSON export must not pass through it.
 * The function may do what the API function may, nothing more.
 *
 * The URL takes only requests signed with SigV4 (`AWS_IAM`), so that a CloudFront distribution in front signs
 * for it with origin access control and nobody reaches it around the distribution. No JWT authorizer stands in
 * front, so the app must verify tokens itself: until it can check an identity provider's tokens, it runs with
 * `AUTH_MODE=jwt-secret` and no secret, which lets nobody in.
 */
export class StreamingApiFunction extends LedgerFunction {
  readonly url: IFunctionUrl;

  constructor(scope: Construct, id: string, props: StreamingApiFunctionProps) {
    super(scope, id, {
      entry: FUNCTION_ENTRIES.apiStream,
      description: 'detention-ledger API, streamed: exports of any size on a function URL',
      memorySize: 1024,
      // A function URL streams for up to 15 minutes; an export reads about 400 cases a second against DynamoDB
      // Local on a busy two-core machine, so five minutes covers 100,000 cases with room.
      timeout: Duration.minutes(5),
      environment: { ...apiEnvironment(props), AUTH_MODE: 'jwt-secret' },
      logRetention: props.logRetention,
      logLevel: props.logLevel,
    });
    grantCursorSecret(this, props.cursorSecret);
    grantApiAccess(this, props);
    this.url = this.function.addFunctionUrl({
      authType: FunctionUrlAuthType.AWS_IAM,
      invokeMode: InvokeMode.RESPONSE_STREAM,
    });
  }
}
