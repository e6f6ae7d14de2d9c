import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkAppend } from '../../domain/append-rules.ts';
import { GENESIS_HASH, hashEvent } from '../../domain/hash-chain.ts';
import { CaseSeal } from '../../functions/personal-data/subject-vault.ts';
import { parseExportedLine } from '../../local/cli/exported-event.ts';

describe('an exported line', () => {
  it('of the largest event an append accepts is accepted by an import once its texts are sealed', () => {
    const event = {
      eventId: '4e6a8c0e-2b4d-4f6a-8c0e-2b4d6f8a0c13',
      type: 'ConsularVisit' as const,
      occurredAt: '2025-07-03',
      sources: Array.from({ length: 20 }, (_, index) => ({
        title: `${index}`.padEnd(500, 't'),
        publisher: 'p'.repeat(200),
        url: `https://example.org/${'u'.repeat(1900)}`,
      })),
      note: 'n'.repeat(4000),
      data: { by: 'Embassy of Utopia', notes: 'v'.repeat(2000) },
    };
    // The append rules take it: it is within their bound in the form a client sends.
    checkAppend([event], {
      caseId: 'big-1',
      headVersion: 1,
      now: new Date('2026-01-01'),
      retractionTargets: new Map(),
    });
    const sealed = new CaseSeal('big-1', randomBytes(32)).sealEvent(event);
    const unhashed = {
      streamId: 'big-1',
      version: 2,
      ...sealed,
      recordedAt: '2026-01-01T00:00:00.000Z',
      recordedBy: 'desk',
      prevHash: GENESIS_HASH,
    };
    const line = JSON.stringify({ ...unhashed, hash: hashEvent(unhashed as never) });
    expect(parseExportedLine(line)).toEqual({ ok: true, event: JSON.parse(line) });
  });
});
