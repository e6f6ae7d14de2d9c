import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { dataOf, ProblemError } from '../api/problem.ts';
import { refreshCase } from '../case/case-queries.ts';
import { useOccurredAtWords } from '../dates/occurred-at-words.ts';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import { ConflictNotice } from './ConflictNotice.tsx';
import { ifMatch } from './case-reads.ts';
import { EventForm } from './EventForm.tsx';
import { type EventDraft, emptyDraft, eventOf, freshIds, type SubmissionIds } from './event-draft.ts';
import { useVersionToRecordOn } from './recorded-head.ts';
import { SubmitProblem } from './SubmitProblem.tsx';
import './record.css';

interface RecordPanelProps {
  readonly caseId: string;
  readonly version: number;
  /** The case's group: the panel leads to recording one event for several of its cases. */
  readonly groupId: string | null;
}

/**
 * Recording on a case (recorders): the forms for every event type, sent on top of the version on screen. Its
 * heading is the `#record` anchor of the case page, for links that lead straight to the form.
 */
export function RecordPanel({ caseId, version, groupId }: RecordPanelProps) {
  const { session } = useSession();
  if (session === undefined || !mayCall(session.roles, 'POST /cases/{caseId}/events')) return null;
  const forGroup = groupId !== null && mayCall(session.roles, 'POST /groups/{groupId}/events');
  return <RecordForm caseId={caseId} version={version} groupId={forGroup ? groupId : null} />;
}

interface Recorded {
  readonly type: EventDraft['type'];
  readonly occurredAt: string;
  readonly version: number;
}

function RecordForm({ caseId, version: shown, groupId }: RecordPanelProps) {
  const { t } = useTranslation('record');
  const { t: tCommon } = useTranslation();
  const { version, catchingUp, recorded: reached } = useVersionToRecordOn(caseId, shown);
  const { t: tEvents } = useTranslation('events');
  const { api } = useSession();
  const queries = useQueryClient();
  const wordsOf = useOccurredAtWords();
  const [draft, setDraft] = useState<EventDraft>(() => emptyDraft('ConsularVisit'));
  // The event id and key are made once the form is filled and kept for every retry of the same content, so
  // a double click or a retry after a lost answer finds the event already recorded instead of recording twice.
  const [ids, setIds] = useState<SubmissionIds>(freshIds);
  const [conflictSince, setConflictSince] = useState<number | undefined>();
  const [recorded, setRecorded] = useState<Recorded | undefined>();
  const sending = useRef(false);

  const append = useMutation({
    mutationFn: (onVersion: number) =>
      dataOf(
        api.POST('/cases/{caseId}/events', {
          params: {
            path: { caseId },
            header: { 'if-match': ifMatch(onVersion), 'idempotency-key': ids.idempotencyKey },
          },
          body: { events: [eventOf(draft, ids.eventId)] },
        }),
      ),
    onSuccess: (answer) => {
      reached(answer.version);
      setRecorded({ type: draft.type, occurredAt: draft.occurredAt.trim(), version: answer.version });
      setConflictSince(undefined);
      setDraft(emptyDraft(draft.type));
      setIds(freshIds());
      refreshCase(queries, caseId);
    },
    onError: (error, onVersion) => {
      if (error instanceof ProblemError && error.status === 412) {
        setConflictSince(onVersion);
        // The screen behind the form shows the case as it is now, not as it was when the form was filled.
        refreshCase(queries, caseId);
      }
    },
    onSettled: () => {
      sending.current = false;
    },
  });

  const submit = (onVersion: number) => {
    // A second click lands before React has re-rendered the disabled button: the ref holds it back.
    if (sending.current) return;
    sending.current = true;
    setRecorded(undefined);
    append.mutate(onVersion);
  };

  const change = (next: EventDraft) => {
    setDraft(next);
    setIds(freshIds());
    setRecorded(undefined);
  };

  const conflict = append.error instanceof ProblemError && append.error.status === 412;
  const recordedWords = recorded && wordsOf(recorded.occurredAt);
  return (
    <section className="record-panel" aria-labelledby="record">
      <h2 id="record">{t('panel.title')}</h2>
      <p className="hint">{t('panel.onVersion', { version })}</p>
      {groupId !== null && (
        <p>
          <Link href={`/groups/${encodeURIComponent(groupId)}/record`}>
            {t('panel.forGroup', { groupId })}
          </Link>
        </p>
      )}
      {catchingUp && <p className="hint">{tCommon('states.catchingUp')}</p>}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit(version);
        }}
      >
        <EventForm draft={draft} onChange={change} error={append.error} prefix="events.0." />
        {conflict && conflictSince !== undefined ? (
          <ConflictNotice
            caseId={caseId}
            since={conflictSince}
            busy={append.isPending}
            onRecordOnTop={(onVersion) => submit(onVersion)}
          />
        ) : (
          <SubmitProblem error={append.error} retry={() => submit(append.variables ?? version)} />
        )}
        <button type="submit" disabled={append.isPending}>
          {append.isPaused
            ? t('submit.waiting')
            : append.isPending
              ? t('submit.sending')
              : t('submit.record')}
        </button>
      </form>
      <div role="status" className="record-done">
        {recorded &&
          t('submit.recorded', {
            type: tEvents(`types.${recorded.type}`),
            when: recordedWords?.ok ? recordedWords.words : recorded.occurredAt,
            version: recorded.version,
          })}
      </div>
    </section>
  );
}
