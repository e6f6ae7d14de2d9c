import { useMutationState } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

/** How long the page waits for the view to show what was just recorded before it says it gave up. */
export const CATCH_UP_LIMIT_MS = 30_000;
/** How often it asks again meanwhile. */
export const CATCH_UP_POLL_MS = 1_000;

/** What an append answers (`AppendResult`, `EraseResult`): the case and the version it now stands at. */
export function recordedOn(caseId: string, data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const answer = data as { caseId?: unknown; version?: unknown };
  return answer.caseId === caseId && typeof answer.version === 'number' ? answer.version : undefined;
}

export type CatchUp =
  | { readonly state: 'current' }
  | { readonly state: 'catching-up'; readonly version: number }
  | { readonly state: 'gave-up'; readonly version: number };

/** One answer this browser was given, and when its request was sent. */
export interface Recorded {
  readonly version: number | undefined;
  readonly at: number;
}

/**
 * Where the view stands against what was recorded: current when it holds the highest version recorded (or
 * nothing was), catching up while it is lower, and given up on `CATCH_UP_LIMIT_MS` after that record was sent.
 */
export function catchUpOf(
  recorded: readonly Recorded[],
  viewVersion: number | undefined,
  now: number,
): CatchUp {
  let latest: { version: number; at: number } | undefined;
  for (const { version, at } of recorded) {
    if (version !== undefined && (!latest || version > latest.version)) latest = { version, at };
  }
  if (latest === undefined || viewVersion === undefined || viewVersion >= latest.version)
    return { state: 'current' };
  return now - latest.at > CATCH_UP_LIMIT_MS
    ? { state: 'gave-up', version: latest.version }
    : { state: 'catching-up', version: latest.version };
}

/**
 * Whether the view still lags what this browser recorded on the case. Any mutation whose answer names the case
 * and a version (the record panel, a retraction, an erasure) counts, so the page needs no word from them but
 * the API's own answer: while the view's version is lower, it polls; after `CATCH_UP_LIMIT_MS` it gives up.
 */
export function useCatchUp(caseId: string, viewVersion: number | undefined, refetch: () => void): CatchUp {
  const recorded = useMutationState({
    filters: { status: 'success' },
    select: (mutation) => ({
      version: recordedOn(caseId, mutation.state.data),
      at: mutation.state.submittedAt,
    }),
  });
  const [now, setNow] = useState(() => Date.now());
  const state = catchUpOf(recorded, viewVersion, Math.max(now, Date.now()));
  const behind = state.state !== 'current';
  useEffect(() => {
    if (!behind) return;
    const timer = setInterval(() => {
      setNow(Date.now());
      refetch();
    }, CATCH_UP_POLL_MS);
    return () => clearInterval(timer);
  }, [behind, refetch]);
  return state;
}
