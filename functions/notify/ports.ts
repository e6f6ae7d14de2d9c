import type { Notice } from '../../domain/notifications/notice.ts';
import type { DeliveryAttempt, WebhookEndpoint } from '../../domain/notifications/webhook-endpoint.ts';

/**
 * What the notifier needs from the world outside the ledger, as interfaces: the same notifier runs on AWS
 * (SES, a webhook queue) and locally (SMTP, webhooks sent at once), given the implementations of its place.
 */

/** An email as the notifier hands it on: both a text and an HTML part, in the subscriber's language. */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * `<notice-id@host>`: the same for every attempt at the same notice, so a mail system that sees a copy after
   * a crash (sent, not yet booked) can drop it.
   */
  readonly messageId: string;
  /** Extra headers: `List-Unsubscribe`, `List-Unsubscribe-Post` (RFC 8058 one-click). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface EmailTransport {
  /** Resolves once the mail system has accepted the message; rejects with a plain-words error otherwise. */
  send(message: EmailMessage): Promise<void>;
}

/** The links a notice's email carries, made by the notifier for one subscription. */
export interface NoticeLinks {
  /** The web application's page of a case, e.g. https://ledger.example.org/app/cases/C-1. */
  caseUrl(caseId: string): string;
  /** Opens the web application's one-click unsubscribe page for this subscription. */
  readonly unsubscribeUrl: string;
  /** The API's RFC 8058 one-click endpoint (POST), for `List-Unsubscribe`. */
  readonly unsubscribePostUrl: string;
  /** For `confirm_subscription` notices: the page that confirms the address. */
  readonly confirmUrl?: string;
  /** The web application's subscriptions page. */
  readonly subscriptionsUrl: string;
}

/** Who may be sent webhooks: https only on AWS; loopback only when configured (local runtime, tests). */
export interface WebhookTargetPolicy {
  readonly allowHttp: boolean;
  readonly allowLoopback: boolean;
}

/** The outcome of one attempt to deliver a notice to an endpoint. */
export interface WebhookDeliveryResult {
  readonly outcome: DeliveryAttempt['outcome'];
  readonly status?: number;
  readonly detail?: string;
  readonly durationMs: number;
  /** Worth trying again later: a timeout, a refused connection, 5xx, 429. A 4xx or a refused target is not. */
  readonly retryable: boolean;
}

export interface WebhookSender {
  deliver(endpoint: WebhookEndpoint, notice: Notice, now: Date): Promise<WebhookDeliveryResult>;
}

/** Signed tokens in links: confirm an address, or unsubscribe, without signing in. */
export type LinkAction = 'confirm' | 'unsubscribe';

export interface LinkSigner {
  sign(subscriptionId: string, action: LinkAction, now: Date): string;
  /** The subscription the token is for, when it is genuine, of this action and not expired; else undefined. */
  verify(token: string, action: LinkAction, now: Date): string | undefined;
}
