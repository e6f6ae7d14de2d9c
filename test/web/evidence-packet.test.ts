import { describe, expect, it } from 'vitest';
import {
  EVIDENCE_FORMAT,
  MAX_EVIDENCE_PACKET_BYTES,
  readEvidencePacket,
} from '../../domain/log/evidence-packet.ts';
import { alteredPacketText, makeEvidencePacket } from '../support/evidence-packet-maker.ts';

// The one reader of packets, shared by the web page and the command line: what it accepts, and the hostile and
// malformed input it refuses before any check runs.

const made = makeEvidencePacket({ events: 4, treeSize: 40 });
type Packet = (typeof made)['packet'];
const problemOf = (text: string, size?: number) => {
  const reading = readEvidencePacket(text, size);
  return reading.ok ? undefined : reading.problem;
};
const altered = (alter: (packet: Packet) => void) => problemOf(alteredPacketText(made, alter));

describe('reading an evidence packet', () => {
  it('reads a valid packet, pairing each event with its proof whatever order the proofs come in', () => {
    const text = alteredPacketText(made, (packet) => packet.proofs.reverse());
    const reading = readEvidencePacket(text);
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.packet.format).toBe(EVIDENCE_FORMAT);
    expect(reading.packet.proofs.map((proof) => proof.eventId)).toEqual(
      made.packet.events.map((event) => event.eventId),
    );
  });

  it('refuses an empty or blank file, and JSON that is not an object', () => {
    expect(problemOf('')).toEqual({ code: 'empty' });
    expect(problemOf(' \n\t')).toEqual({ code: 'empty' });
    expect(problemOf('null')).toEqual({ code: 'wrong_format' });
    expect(problemOf('"detention-ledger-evidence/v1"')).toEqual({ code: 'wrong_format' });
    expect(problemOf('[]')).toEqual({ code: 'wrong_format' });
    expect(problemOf('{"format":')).toEqual({ code: 'not_json' });
  });

  it('refuses a file over the limit by its size in bytes, before parsing, and by its length', () => {
    expect(problemOf(made.text, MAX_EVIDENCE_PACKET_BYTES + 1)).toEqual({
      code: 'too_large',
      limit: 50 * 1024 * 1024,
    });
    expect(problemOf(' '.repeat(MAX_EVIDENCE_PACKET_BYTES + 1))).toMatchObject({ code: 'too_large' });
  });

  it('refuses another format, naming it (cut short), and a format of the wrong type', () => {
    expect(altered((packet) => (packet.format = 'detention-ledger-evidence/v2'))).toEqual({
      code: 'wrong_format',
      found: 'detention-ledger-evidence/v2',
    });
    expect(altered((packet) => (packet.format = 'x'.repeat(500)))).toEqual({
      code: 'wrong_format',
      found: 'x'.repeat(100),
    });
    expect(altered((packet) => ((packet as Record<string, unknown>).format = 1))).toEqual({
      code: 'wrong_format',
    });
  });

  it.each([
    ['a missing log key', (packet: Packet) => delete (packet as Record<string, unknown>).logKey, 'logKey'],
    ['no events', (packet: Packet) => packet.events.splice(0), 'events'],
    [
      'a version that is not a whole number',
      (packet: Packet) => (packet.events[1]!.version = 1.5),
      'events[1].version',
    ],
    ['a version of 0', (packet: Packet) => (packet.events[0]!.version = 0), 'events[0].version'],
    [
      'an upper-case hash',
      (packet: Packet) => (packet.events[2]!.hash = (packet.events[2]!.hash as string).toUpperCase()),
      'events[2].hash',
    ],
    ['a field the hash does not cover', (packet: Packet) => (packet.events[3]!.extra = true), 'events[3]'],
    ['a negative proof index', (packet: Packet) => (packet.proofs[0]!.index = -1), 'proofs[0].index'],
    [
      'a proof hash of 31 bytes',
      (packet: Packet) => (packet.proofs[1]!.hashes[0] = Buffer.alloc(31).toString('base64')),
      'proofs[1].hashes[0]',
    ],
    [
      'a proof hash in base64url',
      (packet: Packet) => (packet.proofs[1]!.hashes[0] = `${'_'.repeat(42)}A=`),
      'proofs[1].hashes[0]',
    ],
    [
      '64 proof hashes',
      (packet: Packet) => (packet.proofs[0]!.hashes = Array(64).fill(Buffer.alloc(32).toString('base64'))),
      'proofs[0].hashes',
    ],
    ['a case id of 129 characters', (packet: Packet) => (packet.caseId = 'c'.repeat(129)), 'caseId'],
    [
      'a checkpoint of 65 KiB',
      (packet: Packet) => (packet.checkpoint = 'x'.repeat(65 * 1024 + 1)),
      'checkpoint',
    ],
    ['101 witness keys', (packet: Packet) => (packet.witnessKeys = Array(101).fill('k')), 'witnessKeys'],
    [
      'data that is a list',
      (packet: Packet) => (packet.events[0]!.data = [] as unknown as Record<string, unknown>),
      'events[0].data',
    ],
  ])('refuses %s, saying where', (_what, alter, at) => {
    expect(altered(alter)).toMatchObject({ code: 'not_a_packet', at });
  });

  it('refuses proofs that do not match the events one to one', () => {
    expect(altered((packet) => packet.proofs.pop())).toMatchObject({ code: 'proofs_mismatch' });
    expect(altered((packet) => packet.proofs.push({ ...packet.proofs[0]!, eventId: 'stray' }))).toMatchObject(
      {
        code: 'proofs_mismatch',
        detail: 'a proof names the event stray, which is not in the packet',
      },
    );
    expect(altered((packet) => (packet.proofs[1]!.eventId = packet.proofs[0]!.eventId))).toMatchObject({
      code: 'proofs_mismatch',
      detail: `two proofs name the event ${made.packet.events[0]!.eventId}`,
    });
    expect(
      altered((packet) => {
        packet.events.push(structuredClone(packet.events[0]!));
        packet.proofs.push(structuredClone(packet.proofs[0]!));
      }),
    ).toMatchObject({ code: 'proofs_mismatch' });
  });

  it('is not fooled by a __proto__ key: it is refused as a field the hash does not cover', () => {
    const text = made.text.replace('"streamId":', '"__proto__": {"polluted": true}, "streamId":');
    expect(problemOf(text)).toMatchObject({ code: 'not_a_packet', at: 'events[0]' });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
