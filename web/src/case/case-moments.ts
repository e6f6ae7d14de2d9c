import { useLocation, useSearch } from 'wouter';
import type { Moments } from './case-queries.ts';

/**
 * The page's clocks live in its address (`?asOf=2025-09-01&knownAt=2026-02-02T10:00:00.000Z`), so a view of
 * the past can be bookmarked and sent to a colleague exactly as it was seen.
 */
export function useCaseMoments(): { moments: Moments; setMoments: (next: Moments) => void } {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const moments: Moments = {
    asOf: params.get('asOf') || undefined,
    knownAt: params.get('knownAt') || undefined,
  };
  const setMoments = (next: Moments) => {
    const query = new URLSearchParams();
    if (next.asOf) query.set('asOf', next.asOf);
    if (next.knownAt) query.set('knownAt', next.knownAt);
    const text = query.toString();
    navigate(text ? `${location}?${text}` : location, { replace: true });
  };
  return { moments, setMoments };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a `datetime-local` input shows it, in the reader's own zone, to the second. */
export function localInputOf(iso: string | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
  );
}

/** What a `datetime-local` input holds (the reader's zone) as the instant the API reads. */
export function instantOfLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
