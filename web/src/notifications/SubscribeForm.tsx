import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/problem.ts';
import { useGroups } from '../groups/useGroups.ts';
import { ErrorState } from '../states/ErrorState.tsx';
import { useSubscribe } from './notification-queries.ts';
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
 * is sent to it.
 */
export function SubscribeForm() {
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
        <div className="field">
          <label htmlFor={`${id}-address`}>{t('form.address')}</label>
          <input
            id={`${id}-address`}
            type="email"
            autoComplete="email"
            value={draft.address}
            required
            aria-invalid={errorsAt('channel.address').length > 0 || undefined}
            aria-describedby={`${id}-address-hint`}
            onChange={(event) => set({ address: event.target.value })}
          />
          <p className="hint" id={`${id}-address-hint`}>
            {t('form.addressHint')}
          </p>
          <FieldErrors id={`${id}-address-error`} messages={errorsAt('channel')} />
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

function FieldErrors({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <p className="field-error" id={id}>
      {messages.join('; ')}
    </p>
  );
}
