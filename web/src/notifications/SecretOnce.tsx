import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A new signing secret, shown this once with a copy button: the API never answers with it again. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const { t } = useTranslation('notifications');
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  };
  return (
    <div className="secret-once" role="alert">
      <p>
        <strong>{t('webhooks.secret.title')}</strong> {t('webhooks.secret.once')}
      </p>
      <p>
        <span className="visually-hidden">{t('webhooks.secret.label')}: </span>
        <code className="secret-value">{secret}</code>
      </p>
      <p>
        <button type="button" onClick={() => void copy()}>
          {copied ? t('webhooks.secret.copied') : t('webhooks.secret.copy')}
        </button>{' '}
        <button type="button" onClick={onDone}>
          {t('webhooks.secret.done')}
        </button>
      </p>
    </div>
  );
}
