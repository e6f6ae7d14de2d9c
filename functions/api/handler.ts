import { handle } from 'hono/aws-lambda';
import { lambdaApi } from './lambda-api.ts';

const api = lambdaApi('api-gateway');
const serve = handle(api.app);

/**
 * The API behind API Gateway (HTTP API, payload format 2.0). API Gateway buffers each answer (at most 6 MB), so
 * the exports of a large ledger are served by `stream-handler.ts` instead.
 */
export const handler: typeof serve = async (event, context) => {
  await api.beforeRequest();
  return serve(event, context);
};
