import { StoreError } from '../../store/store-error.ts';

/** A subscription, endpoint or notice that is not (or no longer) in the notifications table. */
export class NotificationNotFoundError extends StoreError {
  readonly code = 'notification_item_not_found';

  constructor(
    readonly what: 'subscription' | 'endpoint' | 'notice',
    readonly id: string,
    options?: ErrorOptions,
  ) {
    super(`No ${what} ${id}`, options);
    this.name = 'NotificationNotFoundError';
  }
}

/** A write that lost a race or whose item is not in the state it must be in (e.g. a second create of one id). */
export class NotificationConflictError extends StoreError {
  readonly code = 'notification_conflict';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotificationConflictError';
  }
}
