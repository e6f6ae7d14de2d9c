import { Arn, Duration, Stack } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, type IFunctionUrl, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries.ts';
import { type ApiFunctionProps, apiEnvironment, grantApiAccess, grantCursorSecret } from './api-function.ts';
import { LedgerFunction } from './ledger-function.ts';

/** The tokens the streaming function accepts, which it verifies itself (`AUTH_MODE=oidc`). */
export interface StreamingTokens {
  /** As in the tokens' `iss`. */
  readonly issuer: string;
  /** Client ids or audiences known when the stack is built. */
  readonly audiences: readonly string[];
  /**
   * An SSM parameter holding more of them, read at run time: the stack's web client, which is made after the
   * distribution in front of this function. Its name, not a reference, so the function does not depend on it.
   */
  readonly audienceParameterName?: string;
}

export interface StreamingApiFunctionProps extends ApiFunctionProps {
  /** The API function's cursor key: a cursor one function signs, the other accepts. */
  readonly cursorSecret: ISecret;
  readonly tokens: StreamingTokens;
  /** Instances reserved for the function, and its ceiling. */
  readonly reservedConcurrency?: number;
}

/**
 * The API on a Lambda function URL in response-stream mode (`functions/api/stream-handler.ts`): API Gateway
 * buffers every answer and cuts it at 6 MB, so a desk's full CSV or NDJSON export must not pass through it.
 * The function may do what the API function may, nothing more; with `reservedConcurrency`, at most that many
 * exports run at once, so that they cannot starve the account's other functions.
 *
 * The URL takes only requests signed with SigV4 (`AWS_IAM`), so that the CloudFront distribution in front signs
 * for it with origin access control and nobody reaches it around the distribution. No JWT authorizer stands in
 * front, so the app verifies the tokens itself (`AUTH_MODE=oidc`), those of the same issuer and clients as the
 * API's authorizer.
 */
export class StreamingApiFunction extends LedgerFunction {
  readonly url: IFunctionUrl;

  constructor(scope: Construct, id: string, props: StreamingApiFunctionProps) {
    const { tokens } = props;
    super(scope, id, {
      entry: FUNCTION_ENTRIES.apiStream,
      description: 'detention-ledger API, streamed: exports of any size on a function URL',
      memorySize: 1024,
      // A function URL streams for up to 15 minutes; an export reads about 400 cases a second against DynamoDB
      // Local on a busy two-core machine, so five minutes covers 100,000 cases with room.
      timeout: Duration.minutes(5),
      environment: {
        ...apiEnvironment(props),
        AUTH_MODE: 'oidc',
        OIDC_ISSUER: tokens.issuer,
        OIDC_AUDIENCE: tokens.audiences.join(','),
        ...(tokens.audienceParameterName && { OIDC_AUDIENCE_PARAMETER: tokens.audienceParameterName }),
      },
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      ...(props.reservedConcurrency !== undefined && { reservedConcurrency: props.reservedConcurrency }),
    });
    grantCursorSecret(this, props.cursorSecret);
    grantApiAccess(this, props);
    if (tokens.audienceParameterName) {
      const stack = Stack.of(this);
      Grant.addToPrincipal({
        grantee: this.role,
        actions: ['ssm:GetParameter'],
        resourceArns: [
          Arn.format(
            { service: 'ssm', resource: 'parameter', resourceName: tokens.audienceParameterName.slice(1) },
            stack,
          ),
        ],
      });
    }
    this.url = this.function.addFunctionUrl({
      authType: FunctionUrlAuthType.AWS_IAM,
      invokeMode: InvokeMode.RESPONSE_STREAM,
    });
  }
}
