import { describe, expect, it } from 'vitest';
import { event, opening } from '../support/sample-events.ts';
import { viewOf } from './case-specification.ts';

const opened = opening();
const detained = event('Detained', '2025-06-30', { place: 'Capital', facility: 'Central Remand Prison' });
const transfer = (occurredAt: string, toFacility: string) => event('Transferred', occurredAt, { toFacility });

describe('events count in the order they occurred, not the order they were recorded', () => {
  it('given a release recorded weeks late, then it still ends the detention on the day it happened', () => {
    const view = viewOf([
      opened,
      detained,
      event('ConsularVisit', '2025-09-10', { by: 'Embassy of Utopia' }),
      event('Released', '2025-08-15', { mode: 'bail', announced: false }),
    ]);
    expect(view).toMatchObject({
      status: 'released',
      releasedAt: '2025-08-15',
      lastOccurredAt: '2025-09-10',
      lastConsularVisitAt: '2025-09-10',
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-08-15' },
        { status: 'released', from: '2025-08-15', to: null },
      ],
    });
  });

  it('given a detention recorded after the transfer it preceded, then the transfer still decides the facility', () => {
    const view = viewOf([opened, transfer('2025-07-10', 'Invented Colony'), detained]);
    expect(view).toMatchObject({ facility: 'Invented Colony', lastOccurredAt: '2025-07-10' });
  });
});

describe('how dates of different precision are ordered', () => {
  it('the latest possible moment decides first: a month counts after a day inside it', () => {
    const view = viewOf([
      opened,
      detained,
      transfer('2025-08', 'Colony M'),
      transfer('2025-08-15', 'Colony D'),
    ]);
    expect(view.facility).toBe('Colony M');
  });

  it('with the same latest moment, the earliest decides: an interval ending on a day counts before that day', () => {
    const view = viewOf([
      opened,
      detained,
      transfer('2025-08-30', 'Colony D'),
      transfer('2025-08-01/2025-08-30', 'Colony I'),
    ]);
    expect(view.facility).toBe('Colony D');
  });

  it('an instant late on a day counts before the day itself, whose latest moment is later', () => {
    const view = viewOf([
      opened,
      detained,
      transfer('2025-08-30', 'Colony D'),
      transfer('2025-08-30T20:00:00Z', 'Colony T'),
    ]);
    expect(view.facility).toBe('Colony D');
  });
});

describe('events with the same dates are ordered by version, as they were recorded', () => {
  it('two transfers on one day: the one recorded last decides', () => {
    const toA = transfer('2025-08-01', 'Colony A');
    const toB = transfer('2025-08-01', 'Colony B');
    expect(viewOf([opened, detained, toA, toB]).facility).toBe('Colony B');
    expect(viewOf([opened, detained, toB, toA]).facility).toBe('Colony A');
  });

  it('a detention and a release on one day: the one recorded last decides the status', () => {
    const released = event('Released', '2025-06-30', { mode: 'bail', announced: true });
    expect(viewOf([opened, released, detained]).status).toBe('detained');
    expect(viewOf([opened, detained, released]).status).toBe('released');
  });

  it('the same dates written differently (2025-08 and 2025-08?) are a tie too', () => {
    const sure = transfer('2025-08', 'Colony S');
    const unsure = transfer('2025-08?', 'Colony U');
    expect(viewOf([opened, detained, sure, unsure]).facility).toBe('Colony U');
    expect(viewOf([opened, detained, unsure, sure]).facility).toBe('Colony S');
  });
});
