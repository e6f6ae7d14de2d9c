import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { components } from '../api/ledger-api.d.ts';
import { dataOf, ProblemError } from '../api/problem.ts';
import { refreshCase } from '../case/case-queries.ts';
import { useSession } from '../session/SessionContext.tsx';
import { ifMatch } from './case-reads.ts';
import { freshIds, type NewEvent, type SubmissionIds } from './event-draft.ts';
import { useVersionToRecordOn } from './recorded-head.ts';

type AppendResult = components['schemas']['AppendResult'];

interface AppendOnVersionOptions {
  readonly caseId: string;
  /** The version the case page shows. */
  readonly shown: number;
  /** The event to send, with the id this filled form was given. */
  readonly eventOf: (eventId: string) => NewEvent;
  readonly onRecorded?: (answer: AppendResult) => void;
}

/**
 * Appends one event on top of a version, the way every form on a case does: `If-Match` with that version, an
 * event id and Idempotency-Key made once per filled form and kept for every retry (so a double click or a
 * retry after a lost answer records once), one send at a time, and on a 412 the version it was refused on,
 * with the case and its history read again so the page shows what changed.
 *
 * @example
 * const append = useAppendOnVersion({ caseId, shown: view.version, eventOf: (id) => eventOf(draft, id) });
 * append.submit(append.version);
 */
export function useAppendOnVersion({ caseId, shown, eventOf, onRecorded }: AppendOnVersionOptions) {
  const { api } = useSession();
  const queries = useQueryClient();
  const { version, catchingUp, recorded: reached } = useVersionToRecordOn(caseId, shown);
  const [ids, setIds] = useState<SubmissionIds>(freshIds);
  const [refusedOn, setRefusedOn] = useState<number | undefined>();
  // A second click lands before React has re-rendered the disabled button: the ref holds it back.
  const sending = useRef(false);

  const mutation = useMutation({
    mutationFn: (onVersion: number) =>
      dataOf(
        api.POST('/cases/{caseId}/events', {
          params: {
            path: { caseId },
            header: { 'if-match': ifMatch(onVersion), 'idempotency-key': ids.idempotencyKey },
          },
          body: { events: [eventOf(ids.eventId)] },
        }),
      ),
    onSuccess: (answer) => {
      reached(answer.version);
      setRefusedOn(undefined);
      setIds(freshIds());
      refreshCase(queries, caseId);
      onRecorded?.(answer);
    },
    onError: (error, onVersion) => {
      if (error instanceof ProblemError && error.status === 412) {
        setRefusedOn(onVersion);
        // The page around the form shows the case as it is now, not as it was when the form was filled.
        refreshCase(queries, caseId);
      }
    },
    onSettled: () => {
      sending.current = false;
    },
  });

  const isConflict = mutation.error instanceof ProblemError && mutation.error.status === 412;
  return {
    mutation,
    /** The version to record on: the one shown, or this browser's own last record when the view lags. */
    version,
    catchingUp,
    /** The version a 412 refused, while the form shows that refusal. */
    conflictSince: isConflict ? refusedOn : undefined,
    /** A changed form is another event: it gets new ids. */
    renewIds: () => setIds(freshIds()),
    /** Sends on `onVersion`; `false` when a send is already on its way. */
    submit(onVersion: number): boolean {
      if (sending.current) return false;
      sending.current = true;
      mutation.mutate(onVersion);
      return true;
    },
  };
}
