import { useTranslation } from 'react-i18next';
import { NeedsRole } from '../audit/NeedsRole.tsx';
import { CreateEndpointForm } from '../notifications/CreateEndpointForm.tsx';
import { EndpointList } from '../notifications/EndpointList.tsx';
import { useEndpointActions } from '../notifications/notification-queries.ts';
import { SecretOnce } from '../notifications/SecretOnce.tsx';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import '../notifications/notifications.css';

/** Admins: the systems that receive notices as signed webhooks, and what was delivered to them. */
export function WebhooksPage() {
  const { t } = useTranslation('notifications');
  const { session } = useSession();
  if (!mayCall(session?.roles ?? [], 'GET /webhook-endpoints')) {
    return <NeedsRole title={t('webhooks.title')} needs="admin" />;
  }
  return <WebhooksScreen />;
}

function WebhooksScreen() {
  const { t } = useTranslation('notifications');
  const actions = useEndpointActions();
  const made = actions.create.data;
  return (
    <section>
      <h1>{t('webhooks.title')}</h1>
      <p>{t('webhooks.intro')}</p>
      {made && <SecretOnce secret={made.secret} onDone={() => actions.create.reset()} />}
      <EndpointList actions={actions} />
      <CreateEndpointForm create={actions.create} />
    </section>
  );
}
