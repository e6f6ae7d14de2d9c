import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/problem.ts';
import { ErrorState } from '../states/ErrorState.tsx';
import type { useEndpointActions } from './notification-queries.ts';

type Create = ReturnType<typeof useEndpointActions>['create'];

/** Register an endpoint: its URL, who hears when it fails, and a description; the secret comes back once. */
export function CreateEndpointForm({ create }: { create: Create }) {
  const { t } = useTranslation('notifications');
  const id = useId();
  const [url, setUrl] = useState('');
  const [contactEmail, setContactEmail] = useState('');
  const [description, setDescription] = useState('');
  const refused =
    create.error instanceof ProblemError && create.error.status === 400 ? create.error : undefined;
  const urlErrors = refused?.fieldMessages('url') ?? [];
  const contactErrors = refused?.fieldMessages('contactEmail') ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        url: url.trim(),
        contactEmail: contactEmail.trim(),
        ...(description.trim() !== '' && { description: description.trim() }),
      },
      {
        onSuccess: () => {
          setUrl('');
          setDescription('');
        },
      },
    );
  };

  return (
    <form className="endpoint-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('webhooks.create.title')}</h2>
      <div className="field">
        <label htmlFor={`${id}-url`}>{t('webhooks.create.url')}</label>
        <input
          id={`${id}-url`}
          type="url"
          value={url}
          required
          aria-invalid={urlErrors.length > 0 || undefined}
          aria-describedby={urlErrors.length > 0 ? `${id}-url-error` : undefined}
          onChange={(event) => setUrl(event.target.value)}
        />
        {urlErrors.length > 0 && (
          <p className="field-error" id={`${id}-url-error`}>
            {urlErrors.join('; ')}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-contact`}>{t('webhooks.create.contact')}</label>
        <input
          id={`${id}-contact`}
          type="email"
          value={contactEmail}
          required
          aria-invalid={contactErrors.length > 0 || undefined}
          onChange={(event) => setContactEmail(event.target.value)}
        />
        {contactErrors.length > 0 && <p className="field-error">{contactErrors.join('; ')}</p>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>{t('webhooks.create.description')}</label>
        <input
          id={`${id}-description`}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
      </div>
      <button type="submit" disabled={create.isPending}>
        {t('webhooks.create.submit')}
      </button>
      {create.isError && !refused && <ErrorState error={create.error} />}
    </form>
  );
}
