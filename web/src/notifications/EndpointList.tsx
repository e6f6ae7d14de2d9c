import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../api/ledger-api.d.ts';
import { useFormats } from '../i18n/format.ts';
import { EmptyState } from '../states/EmptyState.tsx';
import { ErrorState } from '../states/ErrorState.tsx';
import { QueryState } from '../states/QueryState.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';
import { type useEndpointActions, useEndpoints } from './notification-queries.ts';
import { SecretOnce } from './SecretOnce.tsx';

type Endpoint = components['schemas']['WebhookEndpoint'];
type Actions = ReturnType<typeof useEndpointActions>;

/** The endpoints, each with its state, rotation, enable/disable and its delivery log on request. */
export function EndpointList({ actions }: { actions: Actions }) {
  const { t } = useTranslation('notifications');
  const endpoints = useEndpoints();
  return (
    <section aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">{t('webhooks.list.title')}</h2>
      <QueryState query={endpoints}>
        {(found) =>
          found.length === 0 ? (
            <EmptyState>{t('webhooks.list.empty')}</EmptyState>
          ) : (
            <ul className="endpoints">
              {found.map((endpoint) => (
                <EndpointItem key={endpoint.id} endpoint={endpoint} actions={actions} />
              ))}
            </ul>
          )
        }
      </QueryState>
      {actions.setState.isError && <ErrorState error={actions.setState.error} />}
      {actions.rotate.isError && <ErrorState error={actions.rotate.error} />}
    </section>
  );
}

function EndpointItem({ endpoint, actions }: { endpoint: Endpoint; actions: Actions }) {
  const { t } = useTranslation('notifications');
  const formats = useFormats();
  const [showLog, setShowLog] = useState(false);
  const [secret, setSecret] = useState<string | undefined>();
  const active = endpoint.state === 'active';
  const name = endpoint.description ?? endpoint.url;
  return (
    <li className="endpoint">
      <h3>{name}</h3>
      <dl className="subscription-facts">
        <dt>{t('webhooks.list.url')}</dt>
        <dd>
          <code>{endpoint.url}</code>
        </dd>
        <dt>{t('webhooks.list.state')}</dt>
        <dd>
          {active ? t('webhooks.list.active') : t('webhooks.list.disabled')}
          {endpoint.failingSince &&
            ` — ${t('webhooks.list.failingSince', { at: formats.dateTime(endpoint.failingSince) })}`}
        </dd>
        <dt>{t('webhooks.list.contact')}</dt>
        <dd>{endpoint.contactEmail}</dd>
        <dt>{t('webhooks.list.secrets')}</dt>
        <dd>
          {endpoint.secrets
            .map((info) =>
              info.retiresAt
                ? t('webhooks.list.secretRetires', { at: formats.dateTime(info.retiresAt) })
                : t('webhooks.list.secretSince', { at: formats.dateTime(info.createdAt) }),
            )
            .join('; ')}
        </dd>
      </dl>
      {secret && <SecretOnce secret={secret} onDone={() => setSecret(undefined)} />}
      <p className="endpoint-actions">
        <button
          type="button"
          aria-label={t('webhooks.list.rotateLabel', { name })}
          disabled={actions.rotate.isPending}
          onClick={() =>
            actions.rotate.mutate(endpoint.id, { onSuccess: (answer) => setSecret(answer.secret) })
          }
        >
          {t('webhooks.list.rotate')}
        </button>{' '}
        <button
          type="button"
          aria-label={t(active ? 'webhooks.list.disableLabel' : 'webhooks.list.enableLabel', { name })}
          disabled={actions.setState.isPending}
          onClick={() => actions.setState.mutate({ id: endpoint.id, enable: !active })}
        >
          {active ? t('webhooks.list.disable') : t('webhooks.list.enable')}
        </button>{' '}
        <button type="button" aria-expanded={showLog} onClick={() => setShowLog(!showLog)}>
          {showLog ? t('webhooks.log.hide') : t('webhooks.log.show')}
        </button>
      </p>
      {showLog && <DeliveryLog endpointId={endpoint.id} />}
    </li>
  );
}
