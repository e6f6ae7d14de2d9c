import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import { ConflictNotice } from './ConflictNotice.tsx';
import { emptySource, type NewEvent, type SourceDraft, sourcesOf } from './event-draft.ts';
import { Field } from './Field.tsx';
import { errorsOf, exactlyAt, within } from './field-errors.ts';
import { SourcesFields } from './SourcesFields.tsx';
import { SubmitProblem } from './SubmitProblem.tsx';
import { useAppendOnVersion } from './use-append-on-version.ts';
import './record.css';

/**
 * An event's "Retract" action (recorders), with its reason and where the correction comes from. The case page
 * offers it only for events that stand and that the ledger lets be retracted (not an opening, a retraction or
 * an erasure).
 */
export function RetractAction(props: { caseId: string; eventId: string; version: number }) {
  const { session } = useSession();
  if (session === undefined || !mayCall(session.roles, 'POST /cases/{caseId}/events')) return null;
  return <RetractForm {...props} />;
}

const today = () => new Date().toISOString().slice(0, 10);

function RetractForm({
  caseId,
  eventId,
  version: shown,
}: {
  caseId: string;
  eventId: string;
  version: number;
}) {
  const { t } = useTranslation('record');
  const formId = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [sources, setSources] = useState<readonly SourceDraft[]>(() => [emptySource()]);
  const {
    mutation: retract,
    version,
    conflictSince,
    renewIds,
    submit,
  } = useAppendOnVersion({
    caseId,
    shown,
    eventOf: (retractionId): NewEvent => ({
      eventId: retractionId,
      type: 'Retracted',
      occurredAt: today(),
      sources: sourcesOf(sources),
      data: { eventId, reason },
    }),
    onRecorded: () => setOpen(false),
  });
  const changed = renewIds;
  const errorsAt = within(errorsOf(retract.error), 'events.0.');

  if (retract.isSuccess) return <p role="status">{t('retract.done')}</p>;
  return (
    <div className="record-retract">
      <button
        type="button"
        className="secondary"
        aria-expanded={open}
        aria-controls={formId}
        onClick={() => setOpen(!open)}
      >
        {t('retract.open')}
      </button>
      {open && (
        <form
          id={formId}
          aria-label={t('retract.formName')}
          noValidate
          className="record-retract-form"
          onSubmit={(event) => {
            event.preventDefault();
            submit(version);
          }}
        >
          <Field
            label={`${t('retract.reason')} ${t('required')}`}
            hint={t('retract.reasonHint')}
            errors={errorsAt('data.reason')}
          >
            {(control) => (
              <textarea
                {...control}
                rows={3}
                value={reason}
                onChange={(event) => {
                  setReason(event.target.value);
                  changed();
                }}
              />
            )}
          </Field>
          <SourcesFields
            sources={sources}
            onChange={(next) => {
              setSources(next);
              changed();
            }}
            errorsAt={within(errorsAt, 'sources.')}
            listErrors={exactlyAt(retract.error, 'events.0.sources')}
          />
          {conflictSince !== undefined ? (
            <ConflictNotice
              caseId={caseId}
              since={conflictSince}
              busy={retract.isPending}
              onRecordOnTop={submit}
            />
          ) : (
            <SubmitProblem error={retract.error} retry={() => submit(retract.variables ?? version)} />
          )}
          <button type="submit" className="danger" disabled={retract.isPending}>
            {retract.isPaused
              ? t('submit.waiting')
              : retract.isPending
                ? t('submit.sending')
                : t('retract.submit')}
          </button>
        </form>
      )}
    </div>
  );
}
