import { CaseNotFoundError } from '../../../domain/errors.ts';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import type { ApiDependencies } from '../app-env.ts';
import { eventsFor } from '../auth/personal-data.ts';
import type { Principal } from '../auth/principal.ts';
import type { ShownEvent, StoredEventAnswer } from '../event-answer-schemas.ts';
import { pageCursor } from '../page-cursor.ts';
import type { HistoryForm } from '../request-schemas.ts';
import { primed } from '../streamed-body.ts';

type HistoryDependencies = Pick<ApiDependencies, 'ledger' | 'subjects' | 'cursors'>;

/** Events as the caller may see them, or exactly as stored; the page body's type says which it holds. */
export type EventsInForm = { events: StoredEventAnswer[] } | { events: ShownEvent[] };

/**
 * The events as the caller may see them, or exactly as stored (subjects sealed) to recompute the chain.
 */
export async function inForm(
  deps: Pick<ApiDependencies, 'subjects'>,
  principal: Principal,
  events: readonly StoredEvent[],
  form: HistoryForm,
): Promise<EventsInForm> {
  return form === 'stored'
    ? // The stored form is the domain's type; the answer schema says the same of its free texts, less exactly.
      { events: events as unknown as StoredEventAnswer[] }
    : { events: await eventsFor(principal, events, deps.subjects) };
}

export interface HistoryPageRequest {
  readonly caseId: string;
  readonly knownAt?: Date | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly form: HistoryForm;
}

/** A page of a case's events in version order, as known at `knownAt`, with the cursor of the next page. */
export async function historyPage(
  deps: HistoryDependencies,
  principal: Principal,
  { caseId, knownAt, limit, cursor, form }: HistoryPageRequest,
): Promise<EventsInForm & { nextCursor?: string }> {
  const pages = pageCursor(deps.cursors, ['events', caseId, knownAt?.toISOString() ?? null]);
  const after = Number(pages.resume(cursor) ?? 0);
  const page = await deps.ledger.readPage(caseId, {
    afterVersion: after,
    limit,
    ...(knownAt && { knownAt }),
  });
  if (page.events.length === 0 && after === 0 && (await deps.ledger.head(caseId)) === undefined) {
    throw new CaseNotFoundError(caseId);
  }
  return { ...(await inForm(deps, principal, page.events, form)), ...pages.next(page.continueAfter) };
}

/**
 * Every event of a case, a page at a time, in the form asked; the case's absence is found before the first
 * page is given, so that it is a 404 rather than an empty export.
 */
export async function historyPages(
  deps: Pick<ApiDependencies, 'ledger' | 'subjects'>,
  principal: Principal,
  { caseId, knownAt, form }: { caseId: string; knownAt: Date | undefined; form: HistoryForm },
): Promise<AsyncGenerator<EventsInForm['events']>> {
  const { first, rest } = await primed(deps.ledger.pages(caseId, { ...(knownAt && { knownAt }) }));
  if (first.done && (await deps.ledger.head(caseId)) === undefined) throw new CaseNotFoundError(caseId);
  async function* inPages() {
    if (first.done) return;
    yield (await inForm(deps, principal, first.value, form)).events;
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      yield (await inForm(deps, principal, next.value, form)).events;
    }
  }
  return inPages();
}
