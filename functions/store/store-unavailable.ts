import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

/** The cancellation reasons of a transaction that mean DynamoDB was too busy, not that a condition failed. */
const BUSY_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

interface SdkErrorShape {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly CancellationReasons?: ReadonlyArray<{ readonly Code?: string }>;
}

function isSdkShaped(error: unknown): error is SdkErrorShape {
  return error instanceof Error;
}

/**
 * Whether an error means the store could not be used just now — refused connections, timeouts, throttling, its
 * own 5xx answers — after the SDK's retries: a reason to answer 503 and try again later, not a fault of the
 * request. Uses the SDK's own classification of retryable errors, so it counts what the SDK retried.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (!isSdkShaped(error)) return false;
  if (isThrottlingError(error) || isTransientError(error) || isServerError(error)) return true;
  return (
    error.name === 'TransactionCanceledException' &&
    (error.CancellationReasons ?? []).some((reason) => BUSY_REASONS.has(reason.Code ?? ''))
  );
}
