import { useTranslation } from 'react-i18next';
import { NeedsRole } from '../audit/NeedsRole.tsx';
import { SubscribeForm } from '../notifications/SubscribeForm.tsx';
import { SubscriptionList } from '../notifications/SubscriptionList.tsx';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import '../notifications/notifications.css';

/** Readers: what they are told of, by email, and a form to be told of more. */
export function NotificationsPage() {
  const { t } = useTranslation('notifications');
  const { session } = useSession();
  if (!mayCall(session?.roles ?? [], 'POST /subscriptions'))
    return <NeedsRole title={t('title')} needs="viewer" />;
  return (
    <section>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <SubscriptionList />
      <SubscribeForm webhooks={mayCall(session?.roles ?? [], 'GET /webhook-endpoints')} />
    </section>
  );
}
