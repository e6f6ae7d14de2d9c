import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { dataOf } from '../api/problem.ts';
import { refreshCase } from '../case/case-queries.ts';
import { useGroups } from '../groups/useGroups.ts';
import { EventForm } from '../record/EventForm.tsx';
import { type EventDraft, emptyDraft, eventOf, freshIds } from '../record/event-draft.ts';
import { Field } from '../record/Field.tsx';
import { exactlyAt } from '../record/field-errors.ts';
import { GroupCasesPicker } from '../record/GroupCasesPicker.tsx';
import { GroupResults } from '../record/GroupResults.tsx';
import { casesOfGroup } from '../record/group-cases.ts';
import { SubmitProblem } from '../record/SubmitProblem.tsx';
import { mayCall } from '../session/permissions.ts';
import { useSession, useSignedIn } from '../session/SessionContext.tsx';
import { EmptyState } from '../states/EmptyState.tsx';
import { QueryState } from '../states/QueryState.tsx';
import '../record/record.css';

/**
 * Record for a group (recorders): one event — a visit to "the detained" — for the chosen cases of a group in
 * one request, each case its own event; the answer says per case what happened.
 */
export function GroupRecordPage({ groupId }: { groupId?: string }) {
  const { t } = useTranslation('record');
  const session = useSignedIn();
  const groups = useGroups();
  const [, navigate] = useLocation();
  if (!mayCall(session.roles, 'POST /groups/{groupId}/events')) {
    return (
      <section>
        <h1>{t('group.title')}</h1>
        <p className="state state-error">{t('group.notAllowed')}</p>
      </section>
    );
  }
  return (
    <section className="record-page">
      <h1>{t('group.title')}</h1>
      <p className="hint">{t('group.intro')}</p>
      <QueryState query={groups}>
        {(known) =>
          known.length === 0 ? (
            <EmptyState>{t('group.noGroups')}</EmptyState>
          ) : (
            <Field label={t('group.group')} errors={[]}>
              {(control) => (
                <select
                  {...control}
                  value={groupId ?? ''}
                  onChange={(event) =>
                    navigate(
                      event.target.value
                        ? `/groups/${encodeURIComponent(event.target.value)}/record`
                        : '/groups/record',
                    )
                  }
                >
                  <option value="">{t('choose')}</option>
                  {known.map((group) => (
                    <option key={group} value={group}>
                      {group}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )
        }
      </QueryState>
      {groupId !== undefined && <GroupRecordForm key={groupId} groupId={groupId} />}
    </section>
  );
}

function GroupRecordForm({ groupId }: { groupId: string }) {
  const { t } = useTranslation('record');
  const { api } = useSession();
  const queries = useQueryClient();
  const cases = useQuery({
    queryKey: ['cases', 'of-group', groupId],
    queryFn: () => casesOfGroup(api, groupId),
  });
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [draft, setDraft] = useState<EventDraft>(() => emptyDraft('ConsularVisit'));
  // One key for this filled form: a retry of the whole request (a button, or after a lost answer) sends it
  // again, and the API derives each case's event id from it, so nothing is recorded twice.
  const [key, setKey] = useState(() => freshIds().idempotencyKey);
  const sending = useRef(false);
  const changed = () => setKey(freshIds().idempotencyKey);

  const caseIds = (cases.data ?? []).map((found) => found.caseId).filter((caseId) => chosen.has(caseId));
  const record = useMutation({
    mutationFn: () =>
      dataOf(
        api.POST('/groups/{groupId}/events', {
          params: { path: { groupId }, header: { 'idempotency-key': key } },
          body: { caseIds, events: [eventOf(draft)] },
        }),
      ),
    onSuccess: (answer) => {
      for (const result of answer.results) {
        refreshCase(queries, result.caseId);
      }
      void queries.invalidateQueries({ queryKey: ['cases'] });
    },
    onSettled: () => {
      sending.current = false;
    },
  });
  const submit = () => {
    if (sending.current) return;
    sending.current = true;
    record.mutate();
  };

  return (
    <QueryState query={cases}>
      {(found) =>
        found.length === 0 ? (
          <EmptyState>{t('group.noCases')}</EmptyState>
        ) : (
          <>
            <form
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                submit();
              }}
            >
              <GroupCasesPicker
                cases={found}
                chosen={chosen}
                onChange={(next) => {
                  setChosen(next);
                  changed();
                }}
                errors={exactlyAt(record.error, 'caseIds')}
              />
              <EventForm
                draft={draft}
                onChange={(next) => {
                  setDraft(next);
                  changed();
                }}
                error={record.error}
                prefix="events.0."
              />
              <SubmitProblem error={record.error} retry={submit} />
              <button type="submit" disabled={record.isPending}>
                {record.isPaused
                  ? t('submit.waiting')
                  : record.isPending
                    ? t('submit.sending')
                    : t('group.submit', { count: caseIds.length })}
              </button>
            </form>
            {record.data && (
              <>
                <GroupResults answer={record.data} />
                <button type="button" className="secondary" disabled={record.isPending} onClick={submit}>
                  {t('group.retry')}
                </button>
              </>
            )}
          </>
        )
      }
    </QueryState>
  );
}
