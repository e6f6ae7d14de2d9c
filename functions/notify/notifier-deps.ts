import type { Logger } from '@aws-lambda-powertools/logger';
import type { CurrentAlert } from '../../domain/notifications/alert-transitions.ts';
import type { Notice } from '../../domain/notifications/notice.ts';
import type { NotificationStore } from './notification-store.ts';
import type { EmailMessage, EmailTransport, LinkSigner, NoticeLinks, WebhookSender } from './ports.ts';

/** The signed tokens a notice's links carry, made by the notifier for the links factory. */
export interface LinkTokens {
  readonly unsubscribe: string;
  /** Only for `confirm_subscription` notices. */
  readonly confirm?: string;
}

/** How webhook notices leave: sent by the notifier itself (locally), or handed to a queue's consumer (AWS). */
export type WebhookDelivery =
  | { readonly mode: 'direct'; readonly sender: WebhookSender }
  | { readonly mode: 'queue'; enqueue(noticeId: string): Promise<void> };

export interface NotifierDeps {
  readonly store: NotificationStore;
  readonly clock: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Every alert open at `now`, with its case's group (see `alert-sources.ts`). */
  readonly currentAlerts: (now: Date) => Promise<CurrentAlert[]>;
  /** A case's group, for scopes of a group (see `alert-sources.ts`). */
  readonly caseGroup: (caseId: string) => Promise<string | null>;
  readonly email: EmailTransport;
  /** Renders a notice in its language; the notifier fills in `to`, so a renderer need not know the address. */
  readonly renderEmail: (
    notice: Notice,
    links: NoticeLinks,
  ) => Omit<EmailMessage, 'to'> & { readonly to?: string };
  readonly webhooks: WebhookDelivery;
  /** The links of a subscription's notices, carrying the tokens the notifier signed for it. */
  readonly links: (subscriptionId: string, tokens: LinkTokens) => NoticeLinks;
  readonly signer: LinkSigner;
}

/** What one run did. */
export interface RunSummary {
  raised: number;
  resolved: number;
  digests: number;
  delivered: number;
  failed: number;
}
