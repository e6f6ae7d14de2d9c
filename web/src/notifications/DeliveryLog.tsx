import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import { EmptyState } from '../states/EmptyState.tsx';
import { QueryState } from '../states/QueryState.tsx';
import { useDeliveries } from './notification-queries.ts';

/** An endpoint's recent attempts: when, which notice, what came of it and what the receiver said. */
export function DeliveryLog({ endpointId }: { endpointId: string }) {
  const { t } = useTranslation('notifications');
  const formats = useFormats();
  const deliveries = useDeliveries(endpointId);
  return (
    <QueryState query={deliveries}>
      {(page) =>
        page.deliveries.length === 0 ? (
          <EmptyState>{t('webhooks.log.empty')}</EmptyState>
        ) : (
          <table className="delivery-log">
            <caption>{t('webhooks.log.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.log.at')}</th>
                <th scope="col">{t('webhooks.log.notice')}</th>
                <th scope="col">{t('webhooks.log.attempt')}</th>
                <th scope="col">{t('webhooks.log.outcome')}</th>
                <th scope="col">{t('webhooks.log.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {page.deliveries.map((attempt) => (
                <tr key={`${attempt.noticeId}-${attempt.attempt}`}>
                  <td>{formats.dateTime(attempt.at)}</td>
                  <td>
                    <code>{attempt.noticeId}</code>
                  </td>
                  <td>{attempt.attempt}</td>
                  <td>{t(`webhooks.log.outcomes.${attempt.outcome}`)}</td>
                  <td>
                    {[attempt.status !== undefined ? `HTTP ${attempt.status}` : undefined, attempt.detail]
                      .filter(Boolean)
                      .join(' — ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </QueryState>
  );
}
