import type { Notice } from '../../domain/notifications/notice.ts';
import { noticeIds } from '../../domain/notifications/notice-ids.ts';
import { MAX_EMAIL_ATTEMPTS, retryDelayMs } from '../../domain/notifications/retry-schedule.ts';
import {
  ENDPOINT_FAILURE_WINDOW_MS,
  type WebhookEndpoint,
} from '../../domain/notifications/webhook-endpoint.ts';
import type { OutboxEntry } from './notification-store.ts';
import type { NotifierDeps } from './notifier-deps.ts';

/** Where a notice goes now, or why it goes nowhere. */
export type Destination =
  | { readonly kind: 'email'; readonly address: string }
  | { readonly kind: 'webhook'; readonly endpoint: WebhookEndpoint }
  | { readonly kind: 'nowhere'; readonly reason: string };

/** What one attempt came to. `skipped`: not pending, or another deliverer holds this attempt. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

/**
 * Resolved at delivery, not when the notice was made: an unsubscribe or a disabled endpoint since then stops it.
 * A pending (unconfirmed) subscription is sent its confirmation and nothing else.
 */
export async function destinationOf(deps: NotifierDeps, entry: OutboxEntry): Promise<Destination> {
  if (entry.target.kind === 'endpoint_contact') {
    const endpoint = await deps.store.getEndpoint(entry.target.endpointId);
    return endpoint
      ? { kind: 'email', address: endpoint.contactEmail }
      : { kind: 'nowhere', reason: 'endpoint deleted' };
  }
  const subscription = await deps.store.getSubscription(entry.notice.subscriptionId);
  if (!subscription) return { kind: 'nowhere', reason: 'subscription deleted' };
  if (subscription.state === 'unsubscribed') return { kind: 'nowhere', reason: 'unsubscribed' };
  const confirming = entry.notice.body.kind === 'confirm_subscription';
  if (subscription.state === 'pending' && !confirming) return { kind: 'nowhere', reason: 'not confirmed' };
  if (subscription.state === 'active' && confirming) return { kind: 'nowhere', reason: 'confirmed already' };
  if (subscription.channel.kind === 'email') return { kind: 'email', address: subscription.channel.address };
  const endpoint = await deps.store.getEndpoint(subscription.channel.endpointId);
  if (!endpoint) return { kind: 'nowhere', reason: 'endpoint deleted' };
  if (endpoint.state === 'disabled') return { kind: 'nowhere', reason: 'endpoint disabled' };
  return { kind: 'webhook', endpoint };
}

/** A plain-words reason without addresses: the error's name and the start of its message. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/[^\s<>@]+@[^\s<>@]+/g, '[address]').slice(0, 300);
}

/** Mail errors are worth retrying unless the transport says otherwise (`retryable: false`, or a 5xx SMTP reply). */
function retryableMailError(error: unknown): boolean {
  const { retryable, responseCode } = (error ?? {}) as { retryable?: unknown; responseCode?: unknown };
  if (retryable === false) return false;
  return !(typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600);
}

/**
 * One attempt at one notice: claim the attempt (which schedules the retry, in case this process dies before
 * booking), send, book. Used by `run()` and by a queue's consumer.
 */
export async function deliverNotice(
  deps: NotifierDeps,
  noticeId: string,
  now: Date,
): Promise<DeliveryOutcome> {
  const { store, logger } = deps;
  const entry = await store.getNotice(noticeId);
  if (entry?.status !== 'pending') return 'skipped';
  const attempt = entry.attempts + 1;
  if (!(await store.claimAttempt(noticeId, entry.attempts, new Date(now.getTime() + retryDelayMs(attempt)))))
    return 'skipped';
  const log = { noticeId, kind: entry.notice.body.kind, attempt };
  const destination = await destinationOf(deps, entry);

  if (destination.kind === 'nowhere') {
    await store.finishNotice(noticeId, attempt, { status: 'failed', at: now, error: destination.reason });
    logger.info('notice dropped', { ...log, reason: destination.reason });
    return 'failed';
  }

  if (destination.kind === 'email') {
    try {
      await deps.email.send(emailOf(deps, entry.notice, destination.address, now));
    } catch (error) {
      const reason = reasonOf(error);
      if (!retryableMailError(error) || attempt >= MAX_EMAIL_ATTEMPTS) {
        await store.finishNotice(noticeId, attempt, { status: 'failed', at: now, error: reason });
        logger.warn('email notice failed for good', { ...log, reason });
        return 'failed';
      }
      await store.noteRetry(noticeId, attempt, reason);
      logger.warn('email notice will be retried', { ...log, reason });
      return 'retry';
    }
    await store.finishNotice(noticeId, attempt, { status: 'delivered', at: now });
    logger.info('email notice delivered', log);
    return 'delivered';
  }

  if (deps.webhooks.mode !== 'direct')
    throw new Error(
      'A notifier in queue mode only enqueues webhooks: the queue consumer delivers them, built in direct mode',
    );
  const { endpoint } = destination;
  const result = await deps.webhooks.sender.deliver(endpoint, entry.notice, now);
  await store.recordDeliveryAttempt({
    endpointId: endpoint.id,
    noticeId,
    attempt,
    at: now.toISOString(),
    outcome: result.outcome,
    ...(result.status !== undefined && { status: result.status }),
    ...(result.detail !== undefined && { detail: result.detail }),
    durationMs: result.durationMs,
  });
  const webhookLog = { ...log, endpointId: endpoint.id, status: result.status };
  if (result.outcome === 'delivered') {
    await store.finishNotice(noticeId, attempt, { status: 'delivered', at: now });
    await store.recordEndpointSuccess(endpoint.id);
    logger.info('webhook notice delivered', webhookLog);
    return 'delivered';
  }
  const reason = result.detail ?? `receiver answered ${result.status ?? 'nothing'}`;
  if (result.retryable) await store.noteRetry(noticeId, attempt, reason);
  else await store.finishNotice(noticeId, attempt, { status: 'failed', at: now, error: reason });
  logger.warn('webhook notice not delivered', { ...webhookLog, retryable: result.retryable, reason });
  await disableIfFailingTooLong(deps, await store.recordEndpointFailure(endpoint.id, now), now);
  return result.retryable ? 'retry' : 'failed';
}

/**
 * An endpoint that has failed for longer than the window without one success is disabled, and its contact told,
 * in one transaction: of two deliverers seeing it at once, one disables it and writes the one notice.
 */
async function disableIfFailingTooLong(
  deps: NotifierDeps,
  endpoint: WebhookEndpoint,
  now: Date,
): Promise<void> {
  if (endpoint.state !== 'active' || endpoint.failingSince === undefined) return;
  if (now.getTime() - Date.parse(endpoint.failingSince) <= ENDPOINT_FAILURE_WINDOW_MS) return;
  const notice: Notice = {
    id: noticeIds.endpointDisabled(endpoint.id, endpoint.failingSince),
    subscriptionId: `endpoint:${endpoint.id}`,
    createdAt: now.toISOString(),
    language: 'en',
    body: {
      kind: 'endpoint_disabled',
      endpointId: endpoint.id,
      url: endpoint.url,
      failingSince: endpoint.failingSince,
    },
  };
  const outcome = await deps.store.transact([
    deps.store.parts.disableEndpoint(endpoint, now),
    deps.store.parts.putNotice(notice, { kind: 'endpoint_contact', endpointId: endpoint.id }, now),
  ]);
  if (outcome === 'written')
    deps.logger.warn('webhook endpoint disabled after failing too long', {
      endpointId: endpoint.id,
      failingSince: endpoint.failingSince,
    });
}

/** The email of a notice: rendered with links signed now, addressed here, with the notice's id as Message-ID. */
function emailOf(deps: NotifierDeps, notice: Notice, address: string, now: Date) {
  const confirming = notice.body.kind === 'confirm_subscription';
  const links = deps.links(notice.subscriptionId, {
    unsubscribe: deps.signer.sign(notice.subscriptionId, 'unsubscribe', now),
    ...(confirming && { confirm: deps.signer.sign(notice.subscriptionId, 'confirm', now) }),
  });
  return { ...deps.renderEmail(notice, links), to: address };
}
