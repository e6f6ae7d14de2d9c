import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ProblemError } from '../api/problem.ts';
import '../case/case.css';
import { CaseClocks } from '../case/CaseClocks.tsx';
import { CaseEvents } from '../case/CaseEvents.tsx';
import { CaseSummary } from '../case/CaseSummary.tsx';
import { ChainCheck } from '../case/ChainCheck.tsx';
import { useCaseMoments } from '../case/case-moments.ts';
import { type Moments, type ShownEvent, useCaseEvents, useCaseView } from '../case/case-queries.ts';
import { CATCH_UP_LIMIT_MS, useCatchUp } from '../case/catching-up.ts';
import { EraseSection } from '../case/EraseSection.tsx';
import { StatusTimeline } from '../case/StatusTimeline.tsx';
import { CaseEvidence } from '../evidence/CaseEvidence.tsx';
import { useFormats } from '../i18n/format.ts';
import { RecordPanel } from '../record/RecordPanel.tsx';
import { mayAskKnownAt, mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import { ErrorState } from '../states/ErrorState.tsx';
import { QueryState } from '../states/QueryState.tsx';

/** The moment the view describes: the end of its "As of" day, the "Known at" moment, or now. */
function untilOf(moments: Moments): number {
  if (moments.asOf) return new Date(`${moments.asOf}T23:59:59.999Z`).getTime();
  if (moments.knownAt) return new Date(moments.knownAt).getTime();
  return Date.now();
}

/**
 * A clock from the address in the reader's words; a text that names no moment (typed into the address by
 * hand) is shown as it is, and the API's refusal of it says why.
 */
function readable(text: string, format: (value: string) => string): string {
  return Number.isNaN(new Date(text).getTime()) ? text : format(text);
}

/** The events the ledger held at `knownAt` (all of them without it): those the chart may mark. */
function knownBy(events: readonly ShownEvent[] | undefined, knownAt: string | undefined) {
  if (events === undefined || knownAt === undefined) return events;
  const by = new Date(knownAt).getTime();
  return events.filter((event) => new Date(event.recordedAt).getTime() <= by);
}

/**
 * A case: who, where they stand, the status history as a chart and in words, the events with their sources,
 * the two clocks, the chain check (auditors) and the erasure (admins).
 *
 * Query keys (see case/case-queries.ts): the view under `['case', caseId, moments]`, the history under
 * `['events', caseId, …]`. Whoever records on the case invalidates `['case', caseId]` and
 * `['events', caseId]`; when the view then still stands below the version an append answered, the page says
 * the view is catching up and asks again until it does not (for at most 30 s).
 */
export function CasePage({ caseId }: { caseId: string }) {
  const { t } = useTranslation('case');
  const formats = useFormats();
  const { session } = useSession();
  const roles = session?.roles ?? [];
  const { moments: asked, setMoments } = useCaseMoments();
  const knownAtAllowed = mayAskKnownAt(roles);
  const moments: Moments = knownAtAllowed ? asked : { asOf: asked.asOf };
  const live = !moments.asOf && !moments.knownAt;
  const mayReadEvents = mayCall(roles, 'GET /cases/{caseId}/events');

  const until = useMemo(
    () => untilOf({ asOf: moments.asOf, knownAt: moments.knownAt }),
    [moments.asOf, moments.knownAt],
  );
  const view = useCaseView(caseId, moments);
  const events = useCaseEvents(caseId, undefined, mayReadEvents);
  const { refetch } = view;
  const refetchView = useCallback(() => void refetch(), [refetch]);
  const catchUp = useCatchUp(caseId, live ? view.data?.version : undefined, refetchView);
  const chartEvents = useMemo(() => knownBy(events.data, moments.knownAt), [events.data, moments.knownAt]);

  if (view.isError && view.error instanceof ProblemError && view.error.status === 404) {
    return (
      <section className="case-page">
        <h1>{t('title', { caseId })}</h1>
        <div className="state state-error" role="alert">
          <p>{t('notFound', { caseId })}</p>
          <p>
            <Link href="/">{t('backToBoard')}</Link>
          </p>
        </div>
      </section>
    );
  }

  return (
    <section className="case-page">
      <h1>{t('title', { caseId })}</h1>
      {live && mayCall(roles, 'POST /cases/{caseId}/events') && (
        // On a phone the form is far below; this takes a recorder straight to it.
        <p>
          <a href="#record">{t('jumpToRecord')}</a>
        </p>
      )}
      <CaseClocks moments={moments} onChange={setMoments} mayAskKnownAt={knownAtAllowed} />
      {moments.knownAt && (
        <p className="banner banner-known-at" role="status">
          {t('knownAtBanner', { at: readable(moments.knownAt, formats.dateTime) })}
        </p>
      )}
      {moments.asOf && !moments.knownAt && (
        <p className="banner" role="status">
          {t('asOfBanner', { day: readable(moments.asOf, formats.day) })}
        </p>
      )}
      {catchUp.state === 'catching-up' && (
        <p className="banner banner-catching-up" role="status">
          {t('catchUp.waiting', { version: catchUp.version })}
        </p>
      )}
      {catchUp.state === 'gave-up' && (
        <p className="banner banner-catching-up" role="alert">
          {t('catchUp.gaveUp', { version: catchUp.version, seconds: CATCH_UP_LIMIT_MS / 1000 })}
        </p>
      )}
      <QueryState query={view} loading={t('loading')}>
        {(answer) => (
          <>
            <CaseSummary view={answer} asOf={moments.asOf ?? moments.knownAt?.slice(0, 10)} />
            <StatusTimeline view={answer} events={mayReadEvents ? chartEvents : undefined} until={until} />
            {mayCall(roles, 'POST /cases/{caseId}/events') &&
              (live ? (
                <RecordPanel caseId={caseId} version={answer.version} groupId={answer.groupId} />
              ) : (
                <p className="hint">{t('recordInPresent')}</p>
              ))}
            {mayReadEvents ? (
              <QueryState query={events} loading={t('events.loading')}>
                {(history) => (
                  <CaseEvents
                    caseId={caseId}
                    view={answer}
                    events={history}
                    knownAt={moments.knownAt}
                    actOnVersion={
                      live && mayCall(roles, 'POST /cases/{caseId}/events') ? answer.version : undefined
                    }
                  />
                )}
              </QueryState>
            ) : (
              <p className="hint case-events-withheld">{t('events.needsAuditor')}</p>
            )}
            {mayCall(roles, 'GET /cases/{caseId}/verify') && <ChainCheck caseId={caseId} />}
            <CaseEvidence caseId={caseId} />
            {mayCall(roles, 'POST /cases/{caseId}/erase') && <EraseSection caseId={caseId} />}
          </>
        )}
      </QueryState>
      {view.isError && !(view.error instanceof ProblemError) && view.data === undefined && (
        <ErrorState error={view.error} />
      )}
    </section>
  );
}
