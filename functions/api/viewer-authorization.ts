import type { LambdaFunctionURLEvent } from 'aws-lambda';

/**
 * Where CloudFront hands on the viewer's own `Authorization` header on the way to the streaming function URL.
 * Origin access control signs each request to the URL with SigV4 in `Authorization`, overwriting the viewer's
 * bearer token there; a CloudFront Function copies the viewer's header here first (infra/constructs/
 * web-distribution.ts), so that the app can verify the token itself.
 */
export const VIEWER_AUTHORIZATION_HEADER = 'x-viewer-authorization';

/**
 * The event as the viewer sent it: the viewer's `Authorization` (from `VIEWER_AUTHORIZATION_HEADER`) in the
 * place of CloudFront's signature, which the function URL has already checked. An event without the header is
 * left alone: its `Authorization` is a SigV4 signature, which is no bearer token and gets nobody in.
 */
export function withViewerAuthorization(event: LambdaFunctionURLEvent): LambdaFunctionURLEvent {
  const { [VIEWER_AUTHORIZATION_HEADER]: viewer, ...headers } = event.headers ?? {};
  if (viewer === undefined) return event;
  return { ...event, headers: { ...headers, authorization: viewer } };
}
