import { describe, expect, it } from 'vitest';
import { checkEvidence as checkWithDomain } from '../../domain/log/evidence-check.ts';
import { readEvidencePacket } from '../../domain/log/evidence-packet.ts';
import { checkEvidence, type EvidenceVerdict } from '../../web/src/evidence/check-evidence.ts';
import {
  alteredPacketText,
  cosignatureLine,
  flipCharacter,
  type MadePacket,
  makeEvidencePacket,
  makeKey,
} from '../support/evidence-packet-maker.ts';

// The page's checker runs here on Node's Web Crypto (the same API as the browser's), over packets made by an
// independent maker; test/browser/evidence-page.test.ts runs it in Chromium itself.

async function checked(text: string): Promise<EvidenceVerdict> {
  const reading = readEvidencePacket(text);
  if (!reading.ok) throw new Error(`not a packet: ${JSON.stringify(reading.problem)}`);
  return checkEvidence(reading.packet);
}

const made: MadePacket = makeEvidencePacket({ events: 12, treeSize: 1042, witnesses: 2 });

describe('the browser’s check of an evidence packet', () => {
  it('verifies a valid packet, and says its size, its keys and how many witnesses cosigned', async () => {
    const verdict = await checked(made.text);
    expect(verdict.failures).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict).toMatchObject({
      caseId: 'c-evidence-0001',
      events: 12,
      checkpoint: { origin: 'localhost/detention-ledger', size: 1042, root: made.root.toString('base64') },
      logKey: { text: made.logKey.verifierKey, name: 'localhost/detention-ledger' },
      cosigned: 2,
    });
    expect(verdict.witnesses.map((witness) => witness.name)).toEqual([
      'witness1.example.org/w',
      'witness2.example.org/w',
    ]);
    expect(verdict.witnesses[0]?.cosignedAt).toBe(1_764_669_600);
  });

  it('verifies the packet of an erased subject, its texts still sealed as stored', async () => {
    const erased = makeEvidencePacket({ events: 6, erased: true, treeSize: 37 });
    const verdict = await checked(erased.text);
    expect(verdict.failures).toEqual([]);
    expect(erased.packet.events.at(-1)?.type).toBe('Erased');
  });

  it('verifies a packet of one tree leaf and no witness', async () => {
    const single = makeEvidencePacket({ events: 2, treeSize: 2, witnesses: 0 });
    const verdict = await checked(single.text);
    expect(verdict).toMatchObject({ ok: true, cosigned: 0, witnesses: [] });
  });

  it('names the event whose stored content was changed, and its proof, which no longer leads to the root', async () => {
    const text = alteredPacketText(made, (packet) => {
      (packet.events[4]!.data as { by: string }).by = 'Embassy of Utopja';
    });
    const verdict = await checked(text);
    expect(verdict.ok).toBe(false);
    expect(verdict.failures).toEqual([{ check: 'event_hash', version: 5 }]);
  });

  it('names the event whose hash was rewritten to match: its link, its successor’s link and its proof fail', async () => {
    const text = alteredPacketText(made, (packet) => {
      packet.events[6]!.hash = flipCharacter(packet.events[6]!.hash as string, 10);
    });
    const verdict = await checked(text);
    expect(verdict.failures).toEqual(
      expect.arrayContaining([
        { check: 'event_hash', version: 7 },
        { check: 'chain_link', version: 8 },
        { check: 'inclusion', version: 7, index: made.packet.proofs[6]!.index },
      ]),
    );
  });

  it('says where the chain breaks when an event is left out', async () => {
    const text = alteredPacketText(made, (packet) => {
      packet.events.splice(3, 1);
      packet.proofs.splice(3, 1);
    });
    const verdict = await checked(text);
    expect(verdict.failures).toContainEqual({ check: 'chain_order', position: 4, version: 5 });
  });

  it('names the event whose proof hash was changed', async () => {
    const text = alteredPacketText(made, (packet) => {
      const proof = packet.proofs[2]!;
      proof.hashes[1] = flipCharacter(proof.hashes[1]!, 5);
    });
    expect((await checked(text)).failures).toEqual([
      { check: 'inclusion', version: 3, index: made.packet.proofs[2]!.index },
    ]);
  });

  it('refuses a checkpoint whose size was changed: its signatures no longer hold', async () => {
    const text = alteredPacketText(made, (packet) => {
      packet.checkpoint = packet.checkpoint.replace('\n1042\n', '\n1043\n');
    });
    const verdict = await checked(text);
    expect(verdict.ok).toBe(false);
    expect(verdict.failures).toContainEqual({ check: 'log_signature', found: 'invalid' });
    expect(verdict.failures).toContainEqual({ check: 'cosignature', witness: 'witness1.example.org/w' });
    expect(verdict.checkpoint?.size).toBe(1043);
  });

  it('refuses a checkpoint whose root was changed: every proof fails, and its signatures', async () => {
    const root = made.root.toString('base64');
    const text = alteredPacketText(made, (packet) => {
      packet.checkpoint = packet.checkpoint.replace(root, flipCharacter(root, 7));
    });
    const verdict = await checked(text);
    expect(verdict.failures.filter((failure) => failure.check === 'inclusion')).toHaveLength(12);
    expect(verdict.failures).toContainEqual({ check: 'log_signature', found: 'invalid' });
  });

  it('refuses a log signature changed by one character, and one signed by another key', async () => {
    const line = made.packet.checkpoint.split('\n').find((l) => l.startsWith('— localhost'))!;
    const flipped = alteredPacketText(made, (packet) => {
      packet.checkpoint = packet.checkpoint.replace(line, flipCharacter(line, line.length - 20));
    });
    expect((await checked(flipped)).failures).toEqual([{ check: 'log_signature', found: 'invalid' }]);

    const other = makeKey('localhost/detention-ledger', 0x01);
    const otherKey = alteredPacketText(made, (packet) => {
      packet.logKey = other.verifierKey;
    });
    expect((await checked(otherKey)).failures).toEqual([{ check: 'log_signature', found: 'none' }]);
  });

  it('counts a witness whose key is listed but did not cosign as not cosigned, and a bad cosignature as a failure', async () => {
    const absent = makeKey('witness3.example.org/w', 0x04);
    const listed = alteredPacketText(made, (packet) => {
      packet.witnessKeys.push(absent.verifierKey);
    });
    const verdict = await checked(listed);
    expect(verdict).toMatchObject({ ok: true, cosigned: 2 });
    expect(verdict.witnesses[2]).toEqual({ key: absent.verifierKey, name: 'witness3.example.org/w' });

    const forged = alteredPacketText(made, (packet) => {
      packet.witnessKeys.push(absent.verifierKey);
      // Its name and key id, over another note: a cosignature that does not hold.
      packet.checkpoint += cosignatureLine('another\n1\nAAAA\n', absent, 5);
    });
    expect((await checked(forged)).failures).toEqual([
      { check: 'cosignature', witness: 'witness3.example.org/w' },
    ]);
  });

  it('refuses a log key whose key id does not match, or that is not a key', async () => {
    const wrongId = alteredPacketText(made, (packet) => {
      packet.logKey = packet.logKey.replace(
        /\+([0-9a-f]{8})\+/,
        (_, id: string) => `+${flipCharacter(id, 0)}+`,
      );
    });
    expect((await checked(wrongId)).failures).toContainEqual({
      check: 'log_key',
      problem: 'key_id_mismatch',
    });
    const notAKey = alteredPacketText(made, (packet) => {
      packet.logKey = 'not a key';
    });
    expect((await checked(notAKey)).failures).toContainEqual({ check: 'log_key', problem: 'bad_key' });
  });

  it('refuses a checkpoint that is not a signed note, or holds a control character', async () => {
    const unsigned = alteredPacketText(made, (packet) => {
      packet.checkpoint = made.checkpointText;
    });
    expect((await checked(unsigned)).failures).toEqual([{ check: 'checkpoint', problem: 'no_signatures' }]);
    const control = alteredPacketText(made, (packet) => {
      packet.checkpoint = packet.checkpoint.replace('1042', '10\u000742');
    });
    expect((await checked(control)).failures).toEqual([
      { check: 'checkpoint', problem: 'control_character' },
    ]);
  });

  it('refuses an event of another case', async () => {
    const text = alteredPacketText(made, (packet) => {
      packet.events[0]!.streamId = 'c-other';
    });
    expect((await checked(text)).failures).toContainEqual({
      check: 'other_case',
      version: 1,
      streamId: 'c-other',
    });
  });

  it('agrees with the command line’s check (the domain code) on every packet, valid or altered', async () => {
    const line = made.packet.checkpoint.split('\n').find((l) => l.startsWith('— witness2'))!;
    const texts = [
      made.text,
      alteredPacketText(made, (packet) => {
        packet.events[0]!.occurredAt = '2025-07-02T09:00:00Z';
      }),
      alteredPacketText(made, (packet) => {
        packet.proofs[11]!.index += 1;
      }),
      alteredPacketText(made, (packet) => {
        packet.proofs[5]!.hashes.pop();
      }),
      alteredPacketText(made, (packet) => {
        packet.checkpoint = packet.checkpoint.replace(line, flipCharacter(line, line.length - 30));
      }),
      alteredPacketText(made, (packet) => {
        packet.checkpoint = packet.checkpoint.replace('localhost/detention-ledger\n', 'elsewhere/log\n');
      }),
      alteredPacketText(made, (packet) => {
        packet.events.reverse();
        packet.proofs.reverse();
      }),
    ];
    for (const text of texts) {
      const reading = readEvidencePacket(text);
      if (!reading.ok) throw new Error('the maker made no packet');
      const browser = await checkEvidence(reading.packet);
      const domain = checkWithDomain(reading.packet);
      expect({ ok: browser.ok, cosigned: browser.cosigned }).toEqual({
        ok: domain.ok,
        cosigned: domain.cosigned,
      });
      expect(new Set(browser.failures.map((failure) => failure.check === 'inclusion'))).toEqual(
        new Set(domain.failures.map((failure) => failure.check === 'inclusion')),
      );
    }
  });
});
