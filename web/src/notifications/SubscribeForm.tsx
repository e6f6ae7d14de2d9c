import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/problem.ts';
import { useGroups } from '../groups/useGroups.ts';
import { ErrorState } from '../states/ErrorState.tsx';
import { useEndpoints, useSubscribe } from './notification-queries.ts';
import {
  ALERT_KINDS,
  browserTimeZone,
  EVENT_TYPES,
  emptyDraft,
  type SubscriptionDraft,
  subscriptionInputOf,
  toggled,
} from './subscription-form.ts';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/**
 * Subscribe by email: what to watch, which alerts and events, where, in which language and when. The API
 * checks it all; its words come back at the fields. The address is confirmed by a link before anything else
 * is sent to it. With `webhooks` (admins), notices may go to one of the webhook endpoints instead.
 */
export function SubscribeForm({ webhooks = false }: { readonly webhooks?: boolean }) {
  const { t, i18n } = useTranslation('notifications');
  const language = i18n.language === 'ru' ? 'ru' : 'en';
  const [draft, setDraft] = useState<SubscriptionDraft>(() => emptyDraft(language, browserTimeZone()));
  const subscribe = useSubscribe();
  const groups = useGroups();
  const id = useId();
  const set = (change: Partial<SubscriptionDraft>) => setDraft((before) => ({ ...before, ...change }));
  const refused =
    subscribe.error instanceof ProblemError && subscribe.error.status === 400 ? subscribe.error : undefined;
  const errorsAt = (path: string) => refused?.fieldMessages(path) ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    subscribe.mutate(subscriptionInputOf(draft), {
      onSuccess: () => setDraft(emptyDraft(language, draft.timeZone)),
    });
  };

  return (
    <form className="subscribe-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('form.title')}</h2>
      <fieldset>
        <legend>{t('form.scope.legend')}</legend>
        {(['all', 'group', 'cases'] as const).map((scope) => (
          <label key={scope} className="choice">
            <input
              type="radio"
              name={`${id}-scope`}
              value={scope}
              checked={draft.scope === scope}
              onChange={() => set({ scope })}
            />
            {t(`form.scope.${scope}`)}
          </label>
        ))}
        {draft.scope === 'group' && (
          <div className="field">
            <label htmlFor={`${id}-group`}>{t('form.group')}</label>
            <select
              id={`${id}-group`}
              value={draft.groupId}
              onChange={(event) => set({ groupId: event.target.value })}
            >
              <option value="">{t('form.chooseGroup')}</option>
              {(groups.data ?? []).map((groupId) => (
                <option key={groupId} value={groupId}>
                  {groupId}
                </option>
              ))}
            </select>
            <FieldErrors id={`${id}-group-error`} messages={errorsAt('scope')} />
          </div>
        )}
        {draft.scope === 'cases' && (
          <div className="field">
            <label htmlFor={`${id}-cases`}>{t('form.caseIds')}</label>
            <textarea
              id={`${id}-cases`}
              value={draft.caseIds}
              aria-describedby={`${id}-cases-hint`}
              onChange={(event) => set({ caseIds: event.target.value })}
            />
            <p className="hint" id={`${id}-cases-hint`}>
              {t('form.caseIdsHint')}
            </p>
            <FieldErrors id={`${id}-cases-error`} messages={errorsAt('scope')} />
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('form.alertKinds')}</legend>
        {ALERT_KINDS.map((kind) => (
          <label key={kind} className="choice">
            <input
              type="checkbox"
              checked={draft.alertKinds.includes(kind)}
              onChange={(event) =>
                set({ alertKinds: toggled(draft.alertKinds, kind, event.target.checked, ALERT_KINDS) })
              }
            />
            {t(`events:alerts.${kind}`)}
          </label>
        ))}
        <FieldErrors id={`${id}-kinds-error`} messages={errorsAt('alertKinds')} />
      </fieldset>
      <fieldset>
        <legend>{t('form.eventTypes')}</legend>
        <div className="choices">
          {EVENT_TYPES.map((type) => (
            <label key={type} className="choice">
              <input
                type="checkbox"
                checked={draft.eventTypes.includes(type)}
                onChange={(event) =>
                  set({ eventTypes: toggled(draft.eventTypes, type, event.target.checked, EVENT_TYPES) })
                }
              />
              {t(`events:types.${type}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('form.how')}</legend>
        {webhooks && (
          <div role="radiogroup" aria-label={t('form.channel.legend')}>
            {(['email', 'webhook'] as const).map((channel) => (
              <label key={channel} className="choice">
                <input
                  type="radio"
                  name={`${id}-channel`}
                  value={channel}
                  checked={draft.channel === channel}
                  onChange={() => set({ channel })}
                />
                {t(`form.channel.${channel}`)}
              </label>
            ))}
          </div>
        )}
        {draft.channel === 'webhook' ? (
          <EndpointChoice
            id={`${id}-endpoint`}
            value={draft.endpointId}
            onChange={(endpointId) => set({ endpointId })}
            errors={errorsAt('channel')}
          />
        ) : (
          <EmailChannel draft={draft} set={set} id={id} errors={errorsAt('channel')} />
        )}
      </fieldset>
      <fieldset>
        <legend>{t('form.when')}</legend>
        {(['immediate', 'daily'] as const).map((cadence) => (
          <label key={cadence} className="choice">
            <input
              type="radio"
              name={`${id}-cadence`}
              value={cadence}
              checked={draft.cadence === cadence}
              onChange={() => set({ cadence })}
            />
            {t(`form.cadence.${cadence}`)}
          </label>
        ))}
        {draft.cadence === 'daily' && (
          <div className="subscribe-daily">
            <div className="field">
              <label htmlFor={`${id}-hour`}>{t('form.hour')}</label>
              <select
                id={`${id}-hour`}
                value={draft.hour}
                onChange={(event) => set({ hour: Number(event.target.value) })}
              >
                {HOURS.map((hour) => (
                  <option key={hour} value={hour}>
                    {`${String(hour).padStart(2, '0')}:00`}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-zone`}>{t('form.timeZone')}</label>
              <input
                id={`${id}-zone`}
                value={draft.timeZone}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set({ timeZone: event.target.value })}
              />
              <FieldErrors id={`${id}-zone-error`} messages={errorsAt('cadence')} />
            </div>
          </div>
        )}
      </fieldset>
      <button type="submit" disabled={subscribe.isPending}>
        {t('form.submit')}
      </button>
      {subscribe.isError && <ErrorState error={subscribe.error} />}
      {subscribe.isSuccess && (
        <p role="status" className="banner">
          {subscribe.data.channel.kind === 'email'
            ? t('form.sent', { address: subscribe.data.channel.address })
            : t('form.subscribed')}
        </p>
      )}
    </form>
  );
}

/** The address and the language of an email subscription. */
function EmailChannel({
  draft,
  set,
  id,
  errors,
}: {
  readonly draft: SubscriptionDraft;
  readonly set: (change: Partial<SubscriptionDraft>) => void;
  readonly id: string;
  readonly errors: readonly string[];
}) {
  const { t } = useTranslation('notifications');
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-address`}>{t('form.address')}</label>
        <input
          id={`${id}-address`}
          type="email"
          autoComplete="email"
          value={draft.address}
          required
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={`${id}-address-hint`}
          onChange={(event) => set({ address: event.target.value })}
        />
        <p className="hint" id={`${id}-address-hint`}>
          {t('form.addressHint')}
        </p>
        <FieldErrors id={`${id}-address-error`} messages={errors} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-language`}>{t('form.language')}</label>
        <select
          id={`${id}-language`}
          value={draft.language}
          onChange={(event) => set({ language: event.target.value === 'ru' ? 'ru' : 'en' })}
        >
          <option value="en">English</option>
          <option value="ru">Русский</option>
        </select>
      </div>
    </>
  );
}

/** Which webhook endpoint receives the notices: one of those the admins made (active or not). */
function EndpointChoice({
  id,
  value,
  onChange,
  errors,
}: {
  readonly id: string;
  readonly value: string;
  readonly onChange: (endpointId: string) => void;
  readonly errors: readonly string[];
}) {
  const { t } = useTranslation('notifications');
  const endpoints = useEndpoints();
  if (endpoints.isError) return <ErrorState error={endpoints.error} />;
  const known = endpoints.data ?? [];
  if (endpoints.isSuccess && known.length === 0) return <p>{t('form.noEndpoint')}</p>;
  return (
    <div className="field">
      <label htmlFor={id}>{t('form.endpoint')}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{t('form.chooseEndpoint')}</option>
        {known.map((endpoint) => (
          <option key={endpoint.id} value={endpoint.id}>
            {endpoint.description ?? endpoint.url}
          </option>
        ))}
      </select>
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

function FieldErrors({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <p className="field-error" id={id}>
      {messages.join('; ')}
    </p>
  );
}
