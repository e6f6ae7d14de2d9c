import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useSearch } from 'wouter';
import type { components } from '../api/ledger-api.d.ts';
import { dataOf } from '../api/problem.ts';
import { useGroups } from '../groups/useGroups.ts';
import { DataFields } from '../record/DataFields.tsx';
import { EventForm } from '../record/EventForm.tsx';
import {
  type EventDraft,
  emptyDraft,
  eventOf,
  type FieldValue,
  fieldsData,
  freshIds,
} from '../record/event-draft.ts';
import { SUBJECT_FIELDS } from '../record/event-fields.ts';
import { Field } from '../record/Field.tsx';
import { errorsOf, within } from '../record/field-errors.ts';
import { SubmitProblem } from '../record/SubmitProblem.tsx';
import { mayCall } from '../session/permissions.ts';
import { useSession, useSignedIn } from '../session/SessionContext.tsx';
import '../record/record.css';

type OpenCaseRequest = components['schemas']['OpenCaseRequest'];

/** Open case (recorders): the person, their group, an optional case id, and the first event, in one step. */
export function OpenCasePage() {
  const { t } = useTranslation('record');
  const session = useSignedIn();
  if (!mayCall(session.roles, 'POST /cases')) {
    return (
      <section>
        <h1>{t('open.title')}</h1>
        <p className="state state-error">{t('open.notAllowed')}</p>
      </section>
    );
  }
  return <OpenCaseForm />;
}

function OpenCaseForm() {
  const { t } = useTranslation('record');
  const { api } = useSession();
  const [, navigate] = useLocation();
  const groups = useGroups();
  const groupListId = useId();
  const [subject, setSubject] = useState<Readonly<Record<string, FieldValue>>>({});
  // The board's "Open a case" for an empty group passes the group along (`?group=`).
  const givenGroup = new URLSearchParams(useSearch()).get('group') ?? '';
  const [groupId, setGroupId] = useState(givenGroup);
  const [caseId, setCaseId] = useState('');
  const [withDetention, setWithDetention] = useState(true);
  const [detention, setDetention] = useState<EventDraft>(() => emptyDraft('Detained'));
  // Kept while the content stays the same: a retry after a lost answer opens the same case, not a second one.
  const [ids, setIds] = useState(freshIds);
  const sending = useRef(false);
  const changed = () => setIds(freshIds());

  const request = (): OpenCaseRequest => ({
    subject: fieldsData(SUBJECT_FIELDS, { values: subject, charges: [] }) as OpenCaseRequest['subject'],
    ...(caseId.trim() !== '' && { caseId: caseId.trim() }),
    ...(groupId.trim() !== '' && { groupId: groupId.trim() }),
    ...(withDetention && { events: [eventOf(detention, ids.eventId)] }),
  });
  const open = useMutation({
    mutationFn: () =>
      dataOf(
        api.POST('/cases', {
          params: { header: { 'idempotency-key': ids.idempotencyKey } },
          body: request(),
        }),
      ),
    onSuccess: (answer) => navigate(`/cases/${encodeURIComponent(answer.caseId)}`),
    onSettled: () => {
      sending.current = false;
    },
  });
  const submit = () => {
    if (sending.current) return;
    sending.current = true;
    open.mutate();
  };
  const errorsAt = errorsOf(open.error);

  return (
    <section className="record-page">
      <h1>{t('open.title')}</h1>
      <p className="hint">{t('open.intro')}</p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <fieldset>
          <legend>{t('open.subject')}</legend>
          <p className="hint">{t('open.subjectHint')}</p>
          <DataFields
            specs={SUBJECT_FIELDS}
            values={subject}
            onValue={(path, value) => {
              setSubject({ ...subject, [path]: value });
              changed();
            }}
            charges={[]}
            onCharges={() => {}}
            errorsAt={within(errorsAt, 'subject.')}
            words="subject"
          />
        </fieldset>
        <Field label={t('open.group')} hint={t('open.groupHint')} errors={errorsAt('groupId')}>
          {(control) => (
            <>
              <input
                {...control}
                list={groupListId}
                autoComplete="off"
                value={groupId}
                onChange={(event) => {
                  setGroupId(event.target.value);
                  changed();
                }}
              />
              <datalist id={groupListId}>
                {(groups.data ?? []).map((group) => (
                  <option key={group} value={group} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label={t('open.caseId')} hint={t('open.caseIdHint')} errors={errorsAt('caseId')}>
          {(control) => (
            <input
              {...control}
              autoComplete="off"
              spellCheck={false}
              value={caseId}
              onChange={(event) => {
                setCaseId(event.target.value);
                changed();
              }}
            />
          )}
        </Field>
        <div className="check">
          <input
            id={`${groupListId}-detention`}
            type="checkbox"
            checked={withDetention}
            onChange={(event) => {
              setWithDetention(event.target.checked);
              changed();
            }}
          />
          <label htmlFor={`${groupListId}-detention`}>{t('open.withDetention')}</label>
        </div>
        {withDetention && (
          <fieldset>
            <legend>{t('open.firstEvent')}</legend>
            <EventForm
              draft={detention}
              onChange={(next) => {
                setDetention(next);
                changed();
              }}
              error={open.error}
              prefix="events.0."
              types={['Detained']}
            />
          </fieldset>
        )}
        <SubmitProblem error={open.error} retry={submit} />
        <button type="submit" disabled={open.isPending}>
          {open.isPaused ? t('submit.waiting') : open.isPending ? t('submit.sending') : t('open.submit')}
        </button>
      </form>
    </section>
  );
}
