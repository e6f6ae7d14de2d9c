import { useTranslation } from 'react-i18next';
import type { components } from '../api/ledger-api.d.ts';
import { EmptyState } from '../states/EmptyState.tsx';
import { ErrorState } from '../states/ErrorState.tsx';
import { QueryState } from '../states/QueryState.tsx';
import { useSubscriptions, useUnsubscribe } from './notification-queries.ts';

type Subscription = components['schemas']['Subscription'];

/** My subscriptions: what each watches, how and when it tells, its state, and a way to stop it. */
export function SubscriptionList() {
  const { t } = useTranslation('notifications');
  const subscriptions = useSubscriptions();
  const unsubscribe = useUnsubscribe();
  return (
    <section aria-labelledby="my-subscriptions">
      <h2 id="my-subscriptions">{t('mine.title')}</h2>
      <QueryState query={subscriptions}>
        {(found) => {
          const live = found.filter((subscription) => subscription.state !== 'unsubscribed');
          if (live.length === 0) return <EmptyState>{t('mine.empty')}</EmptyState>;
          return (
            <ul className="subscriptions">
              {live.map((subscription) => (
                <li key={subscription.id} className="subscription">
                  <SubscriptionFacts subscription={subscription} />
                  <button
                    type="button"
                    disabled={unsubscribe.isPending}
                    onClick={() => unsubscribe.mutate(subscription.id)}
                    aria-label={t('mine.unsubscribeLabel', { what: scopeWords(t, subscription) })}
                  >
                    {t('mine.unsubscribe')}
                  </button>
                </li>
              ))}
            </ul>
          );
        }}
      </QueryState>
      {unsubscribe.isError && <ErrorState error={unsubscribe.error} />}
    </section>
  );
}

type T = ReturnType<typeof useTranslation<'notifications'>>['t'];

function scopeWords(t: T, subscription: Subscription): string {
  const { scope } = subscription;
  if (scope.kind === 'group') return t('mine.scope.group', { groupId: scope.groupId });
  if (scope.kind === 'cases') return t('mine.scope.cases', { caseIds: scope.caseIds.join(', ') });
  return t('mine.scope.all');
}

function SubscriptionFacts({ subscription }: { subscription: Subscription }) {
  const { t } = useTranslation('notifications');
  const { channel, cadence } = subscription;
  const told = [
    ...subscription.alertKinds.map((kind) => t(`events:alerts.${kind}`)),
    ...subscription.eventTypes.map((type) => t(`events:types.${type}`)),
  ];
  return (
    <dl className="subscription-facts">
      <dt>{t('mine.what')}</dt>
      <dd>
        {scopeWords(t, subscription)}: {told.join(', ')}
      </dd>
      <dt>{t('mine.how')}</dt>
      <dd>
        {channel.kind === 'email'
          ? t('mine.email', {
              address: channel.address,
              language: channel.language === 'ru' ? 'Русский' : 'English',
            })
          : t('mine.webhook', { endpointId: channel.endpointId })}
      </dd>
      <dt>{t('mine.when')}</dt>
      <dd>
        {cadence.kind === 'daily'
          ? t('mine.daily', {
              hour: `${String(cadence.hour).padStart(2, '0')}:00`,
              timeZone: cadence.timeZone,
            })
          : t('mine.immediate')}
      </dd>
      <dt>{t('mine.state')}</dt>
      <dd className={`subscription-state subscription-${subscription.state}`}>
        {t(`mine.states.${subscription.state}`)}
      </dd>
    </dl>
  );
}
