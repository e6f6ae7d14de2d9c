import { describe, it } from 'vitest';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { event, fixedEventId, opening, retraction } from '../support/sample-events.ts';
import { given } from './case-specification.ts';

/** The moment of every append here: the events are dated a few days before it. */
const now = new Date('2025-10-15T12:00:00.000Z');

const opened = opening({ occurredAt: '2025-09-30' });
const detained = (n: number) => event('Detained', '2025-10-01', { place: 'Capital' }, fixedEventId(n));
/** A case at version 3. */
const openCase = [opened, detained(4), detained(5)];

describe('a case begins with CaseOpened, once', () => {
  it('given no stream, when CaseOpened and more are appended, then they are accepted', () => {
    given()
      .when([opening(), detained(1)], now)
      .thenAccepted();
  });

  it('given no stream, when the first event is not CaseOpened, then it is refused at its type', () => {
    given()
      .when([detained(1), opening()], now)
      .thenRefused('rule_violated', [
        { path: 'events.0.type', message: 'a case must begin with CaseOpened' },
        { path: 'events.1.type', message: 'the case is already open' },
      ]);
  });

  it('given an open case, when CaseOpened is appended again, then it is refused', () => {
    given([...openCase, detained(6)])
      .when([opening()], now)
      .thenRefused('rule_violated', [{ path: 'events.0.type', message: 'the case is already open' }]);
  });

  it('given an open case, when other events are appended, then they are accepted', () => {
    given([opened])
      .when([detained(1), detained(2)], now)
      .thenAccepted();
  });
});

describe('a retraction names an earlier event of the same case', () => {
  const target = detained(10);

  it('given the target stored in this case, then it is accepted', () => {
    given([opened, detained(4), target])
      .when([retraction(target, '2025-10-02')], now)
      .thenAccepted();
  });

  it('given the target earlier in the same append, then it is accepted', () => {
    given(openCase)
      .when([target, retraction(target, '2025-10-02')], now)
      .thenAccepted();
  });

  it('given the target later in the same append, then it is refused: a retraction follows what it retracts', () => {
    given(openCase)
      .when([retraction(target, '2025-10-02'), target], now)
      .thenRefused('rule_violated', [
        { path: 'events.0.data.eventId', message: 'names no event of this case' },
      ]);
  });

  it('given the target stored in another case, then it is refused', () => {
    given(openCase, { elsewhere: { 'case-b': [target] } })
      .when([detained(1), retraction(target, '2025-10-02')], now)
      .thenRefused('rule_violated', [
        { path: 'events.1.data.eventId', message: 'names no event of this case' },
      ]);
  });

  it('given no such event anywhere, then it is refused', () => {
    given(openCase)
      .when([retraction(target, '2025-10-02')], now)
      .thenRefused('rule_violated', [
        { path: 'events.0.data.eventId', message: 'names no event of this case' },
      ]);
  });

  const storedRetraction = retraction(target, '2025-10-02');
  const stored: Record<'CaseOpened' | 'Retracted', { history: IdentifiedEvent[]; named: IdentifiedEvent }> = {
    CaseOpened: { history: openCase, named: opened },
    Retracted: { history: [opened, target, storedRetraction], named: storedRetraction },
  };
  it.each(['CaseOpened', 'Retracted'] as const)(
    'given the target is a stored %s, then it is refused',
    (type) => {
      given(stored[type].history)
        .when([retraction(stored[type].named, '2025-10-03')], now)
        .thenRefused('rule_violated', [
          { path: 'events.0.data.eventId', message: `a ${type} event cannot be retracted` },
        ]);
    },
  );

  it('given a retraction earlier in the same append, when it is retracted in turn, then that is refused', () => {
    const first = retraction(target, '2025-10-02');
    given([opened, target, detained(5)])
      .when([first, retraction(first, '2025-10-03')], now)
      .thenRefused('rule_violated', [
        { path: 'events.1.data.eventId', message: 'a Retracted event cannot be retracted' },
      ]);
  });

  it('given the opening in the same append, when it is retracted, then that is refused', () => {
    given()
      .when([opened, retraction(opened, '2025-10-02')], now)
      .thenRefused('rule_violated', [
        { path: 'events.1.data.eventId', message: 'a CaseOpened event cannot be retracted' },
      ]);
  });
});
