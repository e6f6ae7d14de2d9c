import type { Subscription } from '../../domain/notifications/subscription.ts';
import { notificationDependencies } from '../../functions/api/notifications/notification-dependencies.ts';
import type { LinkSigner, WebhookTargetPolicy } from '../../functions/notify/ports.ts';
import { signedLinks } from '../../functions/notify/signed-links.ts';
import type { ServiceOptions } from '../../functions/services.ts';
import { servicesOn } from './test-services.ts';
import type { TestTables } from './test-tables.ts';

/** The link secret of the test apps (the signer wants 32 bytes or more). */
export const TEST_LINK_SECRET = 'link-secret-of-the-tests-0123456789abcdef';

/**
 * The system over a test file's tables with its notification routes wired to the file's notifications table.
 * Webhooks may go to loopback over http, as the local runtime allows; tests of the public policy pass theirs.
 */
export function notificationServicesOn(
  db: TestTables,
  options: Partial<ServiceOptions> & {
    readonly links?: LinkSigner;
    readonly webhookTargets?: WebhookTargetPolicy;
    readonly requestConfirmation?: (subscription: Subscription, now: Date) => Promise<unknown>;
  } = {},
) {
  const { links, webhookTargets, requestConfirmation, ...rest } = options;
  return servicesOn(db, {
    ...rest,
    notifications: notificationDependencies({
      documents: db.clients.documents,
      tableName: db.tables.notifications,
      links: links ?? signedLinks(TEST_LINK_SECRET),
      webhookTargets: webhookTargets ?? { allowHttp: true, allowLoopback: true },
      ...(requestConfirmation && { requestConfirmation }),
    }),
  });
}
