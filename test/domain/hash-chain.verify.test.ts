import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashEvent, verifyChain } from '../../domain/hash-chain.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { event, opening, record } from '../support/sample-events.ts';

/** A recorded stream of five events with a valid chain. */
function chain(): StoredEvent[] {
  return record([
    opening({ occurredAt: '2025-07-01' }),
    event('Detained', '2025-06-30', { place: 'Capital', facility: 'Central Remand Prison' }),
    event('CustodyOrdered', '2025-07-01', { court: 'Invented District Court', months: 2 }),
    event('ConsularVisit', '2025-07-20', { by: 'Embassy of Utopia' }),
    event('Released', '2025-08-15', { mode: 'bail', announced: true }),
  ]);
}

/** The stream with one event replaced, its stored hash left as it was. */
function tampered(events: StoredEvent[], version: number, change: Partial<StoredEvent>): StoredEvent[] {
  return events.map((item) => (item.version === version ? ({ ...item, ...change } as StoredEvent) : item));
}

describe('verifyChain accepts an intact stream', () => {
  it('reports how many events it checked and the hash of the last', () => {
    const events = chain();
    expect(verifyChain(events)).toEqual({ ok: true, events: 5, headHash: events[4]?.hash });
  });

  it('accepts an empty stream, whose head is the genesis hash', () => {
    expect(verifyChain([])).toEqual({ ok: true, events: 0, headHash: GENESIS_HASH });
  });

  it('links each event to the previous one, and the first to the genesis hash', () => {
    const events = chain();
    expect(events.map((item) => item.prevHash)).toEqual([
      GENESIS_HASH,
      ...events.slice(0, -1).map((e) => e.hash),
    ]);
  });
});

describe('verifyChain reports the first version that does not hold', () => {
  it.each([
    ['occurredAt', { occurredAt: '2025-06-29' }],
    ['data', { data: { place: 'Elsewhere', facility: 'Central Remand Prison' } }],
    ['sources', { sources: [{ title: 'A different report' }] }],
    ['note (added)', { note: 'Added later' }],
    ['recordedAt', { recordedAt: '2024-01-01T00:00:00.000Z' }],
    ['recordedBy', { recordedBy: 'someone-else' }],
    ['eventId', { eventId: '00000000-0000-4000-8000-0000000000ff' }],
    ['streamId', { streamId: 'case-b' }],
  ])('a changed %s breaks the chain at that version', (_, change) => {
    const events = chain();
    const result = verifyChain(tampered(events, 2, change));
    expect(result).toEqual({ ok: false, events: 5, headHash: events[4]?.hash, brokenAt: 2 });
  });

  it('a changed field with a recomputed hash breaks the chain at the next version, whose link no longer holds', () => {
    const events = chain();
    const changed = { ...events[2]!, occurredAt: '2025-07-02' } as StoredEvent;
    const rehashed = { ...changed, hash: hashEvent(changed) } as StoredEvent;
    expect(verifyChain(events.with(2, rehashed))).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('a rehashed last event passes, but changes the head hash: the head is what must be anchored', () => {
    const events = chain();
    const changed = { ...events[4]!, data: { mode: 'pardon', announced: true } } as StoredEvent;
    const rehashed = { ...changed, hash: hashEvent(changed) } as StoredEvent;
    const result = verifyChain(events.with(4, rehashed));
    expect(result.ok).toBe(true);
    expect(result.headHash).not.toBe(events[4]?.hash);
  });

  it('a deleted event breaks the chain where it was', () => {
    const events = chain();
    expect(verifyChain(events.toSpliced(2, 1))).toMatchObject({ ok: false, events: 4, brokenAt: 3 });
  });

  it('a deleted first event breaks the chain at version 1', () => {
    expect(verifyChain(chain().slice(1))).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('a deleted last event leaves a valid but shorter chain, whose head hash differs', () => {
    const events = chain();
    const result = verifyChain(events.slice(0, -1));
    expect(result).toEqual({ ok: true, events: 4, headHash: events[3]?.hash });
    expect(result.headHash).not.toBe(events[4]?.hash);
  });

  it('a swapped pair breaks the chain at the first of the two places', () => {
    const events = chain();
    const swapped = [events[0]!, events[1]!, events[3]!, events[2]!, events[4]!];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('a swapped pair with its versions renumbered still breaks at the first of the two places', () => {
    const events = chain();
    const swapped = [
      events[0]!,
      events[1]!,
      { ...events[3]!, version: 3 },
      { ...events[2]!, version: 4 },
      events[4]!,
    ];
    expect(verifyChain(swapped as StoredEvent[])).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('a wrong prevHash at genesis breaks the chain at version 1, even with a hash recomputed to match', () => {
    const events = chain();
    const wrongLink = { ...events[0]!, prevHash: '1'.repeat(64) } as StoredEvent;
    const rehashed = { ...wrongLink, hash: hashEvent(wrongLink) } as StoredEvent;
    expect(verifyChain(events.with(0, wrongLink))).toMatchObject({ ok: false, brokenAt: 1 });
    expect(verifyChain(events.with(0, rehashed))).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('a stream of another case spliced in breaks the chain where it starts', () => {
    const events = chain();
    const other = record(
      [opening({ occurredAt: '2025-07-01' }), event('Detained', '2025-06-30', { place: 'Capital' })],
      {
        streamId: 'case-b',
      },
    );
    expect(verifyChain([...events.slice(0, 1), other[1]!, ...events.slice(2)])).toMatchObject({
      brokenAt: 2,
    });
  });
});
