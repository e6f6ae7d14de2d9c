import { useCallback } from 'react';
import { useSearchParams } from 'wouter';

import { type CaseStatus, caseStatuses } from '../../../domain/case-status.ts';

/** The statuses in the domain's order, which the counts and the filter follow. */
export const CASE_STATUSES = caseStatuses;
export type { CaseStatus };

/** The statuses of a person in custody, stacked in this order on the held-per-day chart. */
export const HELD_STATUSES = [
  'detained',
  'house_arrest',
  'sentenced',
] as const satisfies readonly CaseStatus[];

export const PAGE_SIZES = [10, 25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 50;

export type CaseOrder = 'caseId' | 'custodyUntil';

/**
 * Everything the board shows is chosen in its URL, so a board can be bookmarked and shared and the browser's
 * back and forward buttons step through what was chosen. Values are kept as typed: a hand-typed `asOf` goes to
 * the API as it is, and the API's refusal is what the person sees.
 */
export interface BoardQuery {
  readonly group: string | undefined;
  /** As typed in the URL; undefined means today. */
  readonly asOf: string | undefined;
  readonly status: CaseStatus | undefined;
  readonly facility: string | undefined;
  readonly nationality: string | undefined;
  readonly sort: CaseOrder;
  readonly limit: number;
  /** The cursors of the pages walked to reach this one, the last being this page's (empty: the first page). */
  readonly cursors: readonly string[];
}

export type BoardChange = Partial<Omit<BoardQuery, 'cursors'>> & { readonly cursors?: readonly string[] };

const nonEmpty = (value: string | null) => (value === null || value === '' ? undefined : value);

/** The board's choices read from a query string. */
export function boardQueryOf(params: URLSearchParams): BoardQuery {
  const status = nonEmpty(params.get('status'));
  const limit = Number(params.get('limit'));
  return {
    group: nonEmpty(params.get('group')),
    asOf: nonEmpty(params.get('asOf')),
    status: CASE_STATUSES.find((known) => known === status),
    facility: nonEmpty(params.get('facility')),
    nationality: nonEmpty(params.get('nationality')),
    sort: params.get('sort') === 'custodyUntil' ? 'custodyUntil' : 'caseId',
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
    cursors: params.getAll('cursor').filter((cursor) => cursor !== ''),
  };
}

/**
 * The query string of a board. Any change of what the list shows starts it again at its first page: a cursor
 * belongs to the filters it was made under.
 */
export function searchOf(current: BoardQuery, change: BoardChange): URLSearchParams {
  const listChanged = (['group', 'status', 'facility', 'nationality', 'sort', 'limit'] as const).some(
    (key) => key in change && change[key] !== current[key],
  );
  const next: BoardQuery = {
    ...current,
    ...change,
    cursors: change.cursors ?? (listChanged ? [] : current.cursors),
  };
  const params = new URLSearchParams();
  if (next.group) params.set('group', next.group);
  if (next.asOf) params.set('asOf', next.asOf);
  if (next.status) params.set('status', next.status);
  if (next.facility) params.set('facility', next.facility);
  if (next.nationality) params.set('nationality', next.nationality);
  if (next.sort !== 'caseId') params.set('sort', next.sort);
  if (next.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(next.limit));
  for (const cursor of next.cursors) params.append('cursor', cursor);
  return params;
}

/** The board's choices and a way to change them (each change is a step in the browser's history). */
export function useBoardQuery(): [BoardQuery, (change: BoardChange) => void] {
  const [params, setParams] = useSearchParams();
  const query = boardQueryOf(params);
  const change = useCallback(
    (next: BoardChange) => setParams((previous) => searchOf(boardQueryOf(previous), next)),
    [setParams],
  );
  return [query, change];
}

/** Today's calendar day (UTC), the board's "As of" when none is chosen. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** Whole days from the day of `from` (an ISO instant or day) to the calendar day `to`; undefined if unreadable. */
export function daysBetween(from: string, to: string): number | undefined {
  const start = Date.parse(`${from.slice(0, 10)}T00:00:00Z`);
  const end = Date.parse(`${to.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  return Math.round((end - start) / DAY_MS);
}
