import { describe, expect, it } from 'vitest';
import {
  type AppendContext,
  checkAppend,
  type IdentifiedEvent,
  type RetractionTarget,
} from '../../domain/append-rules.ts';
import { RuleViolationError } from '../../domain/errors.ts';
import { caseOpened, event, fixedEventId, retractionOf } from './story-events.ts';

const now = new Date('2025-10-15T12:00:00.000Z');

function context(headVersion: number, targets: Record<string, RetractionTarget> = {}): AppendContext {
  return { caseId: 'case-a', headVersion, now, retractionTargets: new Map(Object.entries(targets)) };
}

const detained = (n: number) => event('Detained', '2025-10-01', { place: 'Capital' }, fixedEventId(n));

/** Given a stream at `ctx`, when these events are appended: the issues of the RuleViolationError, or 'accepted'. */
function ruleIssues(events: readonly IdentifiedEvent[], ctx: AppendContext) {
  try {
    checkAppend(events, ctx);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof RuleViolationError)) throw error;
    expect(error.code).toBe('rule_violated');
    return error.issues;
  }
}

describe('a case begins with CaseOpened, once', () => {
  it('given no stream, when CaseOpened and more are appended, then they are accepted', () => {
    expect(ruleIssues([caseOpened(), detained(1)], context(0))).toBe('accepted');
  });

  it('given no stream, when the first event is not CaseOpened, then it is refused at its type', () => {
    expect(ruleIssues([detained(1), caseOpened()], context(0))).toEqual([
      { path: 'events.0.type', message: 'a case must begin with CaseOpened' },
      { path: 'events.1.type', message: 'the case is already open' },
    ]);
  });

  it('given an open case, when CaseOpened is appended again, then it is refused', () => {
    expect(ruleIssues([caseOpened()], context(4))).toEqual([
      { path: 'events.0.type', message: 'the case is already open' },
    ]);
  });

  it('given an open case, when other events are appended, then they are accepted', () => {
    expect(ruleIssues([detained(1), detained(2)], context(1))).toBe('accepted');
  });
});

describe('a retraction names an earlier event of the same case', () => {
  const target = detained(10);

  it('given the target stored in this case, then it is accepted', () => {
    const targets = { [target.eventId]: { streamId: 'case-a', type: 'Detained' } as const };
    expect(ruleIssues([retractionOf(target, '2025-10-02')], context(3, targets))).toBe('accepted');
  });

  it('given the target earlier in the same append, then it is accepted', () => {
    expect(ruleIssues([target, retractionOf(target, '2025-10-02')], context(3))).toBe('accepted');
  });

  it('given the target later in the same append, then it is refused: a retraction follows what it retracts', () => {
    expect(ruleIssues([retractionOf(target, '2025-10-02'), target], context(3))).toEqual([
      { path: 'events.0.data.eventId', message: 'names no event of this case' },
    ]);
  });

  it('given the target stored in another case, then it is refused', () => {
    const targets = { [target.eventId]: { streamId: 'case-b', type: 'Detained' } as const };
    expect(ruleIssues([detained(1), retractionOf(target, '2025-10-02')], context(3, targets))).toEqual([
      { path: 'events.1.data.eventId', message: 'names no event of this case' },
    ]);
  });

  it('given no such event anywhere, then it is refused', () => {
    expect(ruleIssues([retractionOf(target, '2025-10-02')], context(3))).toEqual([
      { path: 'events.0.data.eventId', message: 'names no event of this case' },
    ]);
  });

  it.each(['CaseOpened', 'Retracted'] as const)(
    'given the target is a stored %s, then it is refused',
    (type) => {
      const targets = { [target.eventId]: { streamId: 'case-a', type } };
      expect(ruleIssues([retractionOf(target, '2025-10-02')], context(3, targets))).toEqual([
        { path: 'events.0.data.eventId', message: `a ${type} event cannot be retracted` },
      ]);
    },
  );

  it('given a retraction earlier in the same append, when it is retracted in turn, then that is refused', () => {
    const first = retractionOf(target, '2025-10-02');
    const targets = { [target.eventId]: { streamId: 'case-a', type: 'Detained' } as const };
    expect(ruleIssues([first, retractionOf(first, '2025-10-03')], context(3, targets))).toEqual([
      { path: 'events.1.data.eventId', message: 'a Retracted event cannot be retracted' },
    ]);
  });

  it('given the opening in the same append, when it is retracted, then that is refused', () => {
    const opening = caseOpened('2025-10-01');
    expect(ruleIssues([opening, retractionOf(opening, '2025-10-02')], context(0))).toEqual([
      { path: 'events.1.data.eventId', message: 'a CaseOpened event cannot be retracted' },
    ]);
  });
});
