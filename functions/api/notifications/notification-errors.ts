import { ApiError } from '../api-error.ts';

/**
 * What the notification routes refuse. A subscription the caller may not see is "not found" too, never
 * "forbidden": the answer must not tell anyone that someone else's subscription exists.
 */
export class SubscriptionNotFoundError extends ApiError {
  readonly code = 'subscription_not_found';
  constructor(id: string) {
    super(`No subscription ${id} of yours`);
    this.name = 'SubscriptionNotFoundError';
  }
}

export class EndpointNotFoundError extends ApiError {
  readonly code = 'endpoint_not_found';
  constructor(id: string) {
    super(`No webhook endpoint ${id}`);
    this.name = 'EndpointNotFoundError';
  }
}

/** A confirm or unsubscribe link that is not one of ours, or made for the other action. */
export class LinkInvalidError extends ApiError {
  readonly code = 'link_invalid';
  constructor() {
    super(
      'This link is not valid: it may be incomplete (copy the whole link from the email) or have expired',
    );
    this.name = 'LinkInvalidError';
  }
}

/** A genuine link whose subscription is gone or was ended, so there is nothing left to confirm. */
export class LinkGoneError extends ApiError {
  readonly code = 'link_gone';
  constructor(detail: string) {
    super(detail);
    this.name = 'LinkGoneError';
  }
}
