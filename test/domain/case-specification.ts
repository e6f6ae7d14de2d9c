import { expect } from 'vitest';
import { checkAppend, type IdentifiedEvent, type RetractionTarget } from '../../domain/append-rules.ts';
import type { CaseView } from '../../domain/case-view.ts';
import { DomainError, type FieldIssue } from '../../domain/errors.ts';
import { type FoldOptions, foldCase } from '../../domain/fold-case.ts';
import { type RecordOptions, record } from '../support/sample-events.ts';

/**
 * Specs of a case in the form given / when / then, as Emmett's `DeciderSpecification` writes them: given the
 * events a case already holds, when events are appended, then the append rules accept them (and the fold says
 * what the case now is) or refuse them with these issues. The domain decides nothing but acceptance, so the
 * events that "then" names are the appended ones; the fold is the case's `evolve`.
 */

export const CASE_UNDER_TEST = 'case-under-test';
/** The moment of an append unless a spec says otherwise: after every date the builders use by default. */
export const APPEND_NOW = new Date('2026-01-01T00:00:00.000Z');

/** Given these events recorded in this order, the view of the case (with the clocks of `options`). */
export function viewOf(
  events: readonly IdentifiedEvent[],
  options: FoldOptions & RecordOptions = {},
): CaseView {
  return foldCase(CASE_UNDER_TEST, record(events, options), options);
}

/** The last millisecond of a UTC day, `YYYY-MM-DD`: what a query "as of that day" asks about. */
export function endOf(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}

export interface GivenOptions {
  /** Events of other cases, by case id: what a retraction may name by mistake. */
  readonly elsewhere?: Readonly<Record<string, readonly IdentifiedEvent[]>>;
}

export interface WhenAppended {
  /** Then the rules accept the events: the view of the case after them (with the clocks of `options`). */
  thenAccepted(options?: FoldOptions & RecordOptions): CaseView;
  /** Then the rules refuse the events, all of them, with an error of this code and these issues: that error. */
  thenRefused(code: string, issues: readonly FieldIssue[]): DomainError;
}

export interface GivenCase {
  /** When these events are appended in one request, at `now`. (The view of a case as it stands: `viewOf`.) */
  when(appended: readonly IdentifiedEvent[], now?: Date): WhenAppended;
}

/** The ledger's lookup of the events that retractions name: every event of every case, where it is stored. */
function storedTargets(history: readonly IdentifiedEvent[], elsewhere: GivenOptions['elsewhere'] = {}) {
  const targets = new Map<string, RetractionTarget>();
  for (const [streamId, events] of [[CASE_UNDER_TEST, history] as const, ...Object.entries(elsewhere)]) {
    for (const stored of events) targets.set(stored.eventId, { streamId, type: stored.type });
  }
  return targets;
}

/** Given a case holding `history` (none: the case does not exist yet). */
export function given(history: readonly IdentifiedEvent[] = [], options: GivenOptions = {}): GivenCase {
  return {
    when(appended, now = APPEND_NOW) {
      const decide = () =>
        checkAppend(appended, {
          caseId: CASE_UNDER_TEST,
          headVersion: history.length,
          now,
          retractionTargets: storedTargets(history, options.elsewhere),
        });
      return {
        thenAccepted(foldOptions = {}) {
          expect(decide).not.toThrow();
          return viewOf([...history, ...appended], foldOptions);
        },
        thenRefused(code, issues) {
          const refusal = (() => {
            try {
              decide();
            } catch (error) {
              return error;
            }
            return undefined;
          })();
          expect(refusal, 'the append was accepted').toBeInstanceOf(DomainError);
          expect((refusal as DomainError).code).toBe(code);
          expect((refusal as DomainError & { issues?: unknown }).issues).toEqual(issues);
          return refusal as DomainError;
        },
      };
    },
  };
}
