import { useTranslation } from 'react-i18next';

/** The deployment's configuration could not be read: nobody can sign in, and the page says so. */
export function ConfigUnavailable({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <main id="main">
      <div className="state state-error" role="alert">
        <p>
          <strong>{t('states.errorTitle')}</strong>: {t('states.configUnavailable')}
        </p>
        <p>
          <code>{error instanceof Error ? error.message : String(error)}</code>
        </p>
        <button type="button" onClick={() => window.location.reload()}>
          {t('states.reload')}
        </button>
      </div>
    </main>
  );
}
