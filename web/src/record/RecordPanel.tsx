import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useOccurredAtWords } from '../dates/occurred-at-words.ts';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import { ConflictNotice } from './ConflictNotice.tsx';
import { EventForm } from './EventForm.tsx';
import { type EventDraft, emptyDraft, eventOf } from './event-draft.ts';
import { SubmitProblem } from './SubmitProblem.tsx';
import { useAppendOnVersion } from './use-append-on-version.ts';
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
  const { t: tEvents } = useTranslation('events');
  const wordsOf = useOccurredAtWords();
  const [draft, setDraft] = useState<EventDraft>(() => emptyDraft('ConsularVisit'));
  const [recorded, setRecorded] = useState<Recorded | undefined>();
  const {
    mutation: append,
    version,
    catchingUp,
    conflictSince,
    renewIds,
    submit,
  } = useAppendOnVersion({
    caseId,
    shown,
    eventOf: (eventId) => eventOf(draft, eventId),
    onRecorded: (answer) => {
      setRecorded({ type: draft.type, occurredAt: draft.occurredAt.trim(), version: answer.version });
      setDraft(emptyDraft(draft.type));
    },
  });

  const send = (onVersion: number) => {
    if (submit(onVersion)) setRecorded(undefined);
  };

  const change = (next: EventDraft) => {
    setDraft(next);
    renewIds();
    setRecorded(undefined);
  };

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
          send(version);
        }}
      >
        <EventForm draft={draft} onChange={change} error={append.error} prefix="events.0." />
        {conflictSince !== undefined ? (
          <ConflictNotice
            caseId={caseId}
            since={conflictSince}
            busy={append.isPending}
            onRecordOnTop={send}
          />
        ) : (
          <SubmitProblem error={append.error} retry={() => send(append.variables ?? version)} />
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
