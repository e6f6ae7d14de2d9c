import type { Logger } from '@aws-lambda-powertools/logger';
import { renderEmail } from '../email/render-email.ts';
import { NotificationStore } from '../notification-store.ts';
import type { NotifierDeps, WebhookDelivery } from '../notifier-deps.ts';
import type { EmailTransport } from '../ports.ts';
import { domainOf } from '../ses-identity.ts';
import { signedLinks } from '../signed-links.ts';
import { noticeLinksFor } from './notice-links.ts';

/** What differs between where the notifier runs; the rest of its dependencies are made the same way. */
export interface NotifierParts {
  readonly documents: ConstructorParameters<typeof NotificationStore>[0]['documents'];
  readonly notificationsTable: string;
  readonly from: string;
  readonly appBaseUrl: string;
  readonly linkSecret: string;
  readonly email: EmailTransport;
  readonly webhooks: WebhookDelivery;
  readonly sources: Pick<NotifierDeps, 'currentAlerts' | 'caseGroup'>;
  readonly clock: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * The notifier's dependencies from its parts: the store over the notifications table, emails rendered in the
 * subscriber's language with Message-IDs of the sending domain, links to the web application signed with the
 * link key. The Lambda functions and the local runtime both build theirs here.
 */
export function notifierDeps(parts: NotifierParts): NotifierDeps {
  const host = domainOf(parts.from);
  return {
    store: new NotificationStore({ documents: parts.documents, tableName: parts.notificationsTable }),
    clock: parts.clock,
    logger: parts.logger,
    ...parts.sources,
    email: parts.email,
    renderEmail: (notice, links) => renderEmail(notice, links, { to: '', host }),
    webhooks: parts.webhooks,
    links: noticeLinksFor(parts.appBaseUrl),
    signer: signedLinks(parts.linkSecret),
  };
}
