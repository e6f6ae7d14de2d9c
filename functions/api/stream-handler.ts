import type { LambdaFunctionURLEvent, StreamifyHandler } from 'aws-lambda';
import { streamHandle } from 'hono/aws-lambda';
import { lambdaApi } from './lambda-api.ts';
import { withViewerAuthorization } from './viewer-authorization.ts';

const api = lambdaApi('function-url');
// Hono types the streaming handler as a plain Lambda handler, but it is the one `awslambda.streamifyResponse`
// returns, called with the response stream in the place of the context.
const serve = streamHandle(api.app) as unknown as StreamifyHandler<LambdaFunctionURLEvent>;

/**
 * The same API on a Lambda function URL in response-stream mode (payload format 2.0): every answer is written to
 * the response stream as it is made, so `GET /cases.csv` and the NDJSON histories reach the reader page by page,
 * of any size, instead of being buffered whole as API Gateway does. No authorizer stands in front of a function
 * URL: the app must check tokens itself here, and reads the viewer's token where CloudFront hands it on (its own
 * signature is in `Authorization`).
 */
export const handler = awslambda.streamifyResponse<LambdaFunctionURLEvent>(
  async (event, responseStream, context) => {
    await api.beforeRequest();
    return serve(withViewerAuthorization(event), responseStream, context);
  },
);
