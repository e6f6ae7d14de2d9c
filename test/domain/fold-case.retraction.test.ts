import { describe, expect, it } from 'vitest';
import { event, opening, retraction } from '../support/sample-events.ts';
import { given } from './case-specification.ts';

const opened = opening();
const detained = event('Detained', '2025-06-30', { place: 'Capital', facility: 'Central Remand Prison' });

describe('given an event, when it is retracted, then it stops counting; nothing is deleted', () => {
  it('a retracted detention leaves the person in unknown status', () => {
    expect(
      given([opened, detained])
        .when([retraction(detained)])
        .thenAccepted(),
    ).toMatchObject({
      status: 'unknown',
      detainedAt: null,
      facility: null,
      lastOccurredAt: null,
      statusHistory: [],
      version: 3,
    });
  });

  it('a retracted release puts the person back in custody, with the interval reopened', () => {
    const released = event('Released', '2025-08-01', { mode: 'bail', announced: true });
    expect(
      given([opened, detained, released])
        .when([retraction(released)])
        .thenAccepted(),
    ).toMatchObject({
      status: 'detained',
      releasedAt: null,
      releaseMode: null,
      facility: 'Central Remand Prison',
      statusHistory: [{ status: 'detained', from: '2025-06-30', to: null }],
    });
  });

  it('one of two consular visits retracted leaves one, and the last visit is the one that stands', () => {
    const first = event('ConsularVisit', '2025-07-10', { by: 'Embassy of Utopia' });
    const second = event('ConsularVisit', '2025-08-10', { by: 'Embassy of Utopia' });
    expect(
      given([opened, detained, first, second])
        .when([retraction(second)])
        .thenAccepted(),
    ).toMatchObject({
      consularVisitCount: 1,
      lastConsularVisitAt: '2025-07-10',
      lastOccurredAt: '2025-07-10',
    });
  });

  it('a retracted pending event is no longer pending', () => {
    const released = event('Released', '2025-10?', { mode: 'bail', announced: true });
    expect(
      given([opened, detained, released])
        .when([retraction(released)])
        .thenAccepted({ asOf: new Date('2025-10-15T00:00:00Z') }),
    ).toMatchObject({
      pending: [],
      pendingUntil: null,
    });
  });

  it('the retraction itself is no news about the person: it sets no date', () => {
    const visit = event('ConsularVisit', '2025-07-10', { by: 'Embassy of Utopia' });
    const view = given([opened, detained, visit])
      .when([retraction(visit, '2025-12-01')])
      .thenAccepted();
    expect(view.lastOccurredAt).toBe('2025-06-30');
  });

  it('the retraction counts whatever asOf says, as it changes the record, not the world', () => {
    const view = given([opened, detained])
      .when([retraction(detained, '2025-12-01')])
      .thenAccepted({ asOf: new Date('2025-07-15T00:00:00Z') });
    expect(view.status).toBe('unknown');
  });
});
