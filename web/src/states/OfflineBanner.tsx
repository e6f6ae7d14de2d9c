import { onlineManager } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

/** Whether the browser is online, as TanStack Query sees it (it pauses questions while offline). */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (notify) => onlineManager.subscribe(notify),
    () => onlineManager.isOnline(),
  );
}

/** Says, on every screen, that the connection is gone and nothing is sent until it is back. */
export function OfflineBanner() {
  const { t } = useTranslation();
  if (useOnline()) return null;
  return (
    <p className="banner banner-offline" role="status">
      {t('states.offline')}
    </p>
  );
}
