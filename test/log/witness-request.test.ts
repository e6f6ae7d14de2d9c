import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatAddCheckpoint,
  MAX_PROOF_LINES,
  parseAddCheckpoint,
  parseTreeSizeBody,
  WitnessRequestError,
} from '../../domain/log/witness-request.ts';

// The example request body of C2SP tlog-witness, add-checkpoint.
const PROOF = [
  'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=',
  'jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=',
  '5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=',
  '/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=',
];
const CHECKPOINT =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
  '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
  '— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n';
const BODY = `old 20852014\n${PROOF.map((line) => `${line}\n`).join('')}\n${CHECKPOINT}`;

const hash = (i: number) => new Uint8Array(createHash('sha256').update(String(i)).digest());
const proofLines = (n: number) =>
  Array.from({ length: n }, (_, i) => `${Buffer.from(hash(i)).toString('base64')}\n`).join('');

function refused(body: string, words: RegExp): void {
  expect(() => parseAddCheckpoint(body)).toThrow(WitnessRequestError);
  expect(() => parseAddCheckpoint(body)).toThrow(words);
}

describe('add-checkpoint request bodies', () => {
  it('reads the tlog-witness example and writes it back the same', () => {
    const request = parseAddCheckpoint(BODY);
    expect(request.oldSize).toBe(20852014);
    expect(request.proof.map((h) => Buffer.from(h).toString('base64'))).toEqual(PROOF);
    expect(request.checkpoint).toBe(CHECKPOINT);
    expect(formatAddCheckpoint(request)).toBe(BODY);
  });

  it('reads an old size of 0 with no proof', () => {
    const body = `old 0\n\n${CHECKPOINT}`;
    expect(parseAddCheckpoint(body)).toEqual({ oldSize: 0, proof: [], checkpoint: CHECKPOINT });
    expect(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: CHECKPOINT })).toBe(body);
  });

  it(`accepts ${MAX_PROOF_LINES} proof lines and refuses 64`, () => {
    expect(parseAddCheckpoint(`old 1\n${proofLines(63)}\n${CHECKPOINT}`).proof).toHaveLength(63);
    refused(`old 1\n${proofLines(64)}\n${CHECKPOINT}`, /at most 63/);
    expect(() =>
      formatAddCheckpoint({
        oldSize: 1,
        proof: Array.from({ length: 64 }, (_, i) => hash(i)),
        checkpoint: CHECKPOINT,
      }),
    ).toThrow(WitnessRequestError);
  });

  it.each([
    ['an old size with a leading zero', BODY.replace('old 20852014', 'old 020852014'), /old <size>/],
    ['an old size of "00"', BODY.replace('old 20852014', 'old 00'), /old <size>/],
    ['a negative old size', BODY.replace('old 20852014', 'old -1'), /old <size>/],
    ['two spaces after old', BODY.replace('old 20852014', 'old  20852014'), /old <size>/],
    ['a capital Old', BODY.replace('old 20852014', 'Old 20852014'), /old <size>/],
    ['no old line', `${PROOF[0]}\n\n${CHECKPOINT}`, /old <size>/],
    ['an old size above the checkpoint', BODY.replace('old 20852014', 'old 20852164'), /above/],
    ['an old size beyond 2^53', BODY.replace('old 20852014', 'old 9007199254740993'), /old <size>/],
    [
      'a proof line of 31 bytes',
      BODY.replace(PROOF[0]!, Buffer.alloc(31).toString('base64')),
      /proof line 1/,
    ],
    ['a proof line in unpadded base64', BODY.replace(PROOF[1]!, PROOF[1]!.slice(0, -1)), /proof line 2/],
    ['a proof line in hex', BODY.replace(PROOF[2]!, Buffer.alloc(32).toString('hex')), /proof line 3/],
    [
      'a proof line in URL-safe base64',
      BODY.replace(PROOF[3]!, PROOF[3]!.replaceAll('/', '_')),
      /proof line 4/,
    ],
    [
      'a proof line ending in a carriage return',
      BODY.replace(`${PROOF[0]}\n`, `${PROOF[0]}\r\n`),
      /proof line 1/,
    ],
    ['no empty line before the checkpoint', `old 1\n${PROOF[0]}\n`, /empty line/],
    ['nothing', '', /old <size>/],
    ['a checkpoint that is not a signed note', `old 1\n\n${CHECKPOINT.split('\n\n')[0]}\n`, /malformed/],
    [
      'a checkpoint with a leading-zero size',
      BODY.replace('\n20852163\n', '\n020852163\n'),
      /malformed.*leading zeros/,
    ],
    ['a control character in the checkpoint', BODY.replace('behind', 'be\u0000hind'), /malformed.*control/],
    ['a body of two mebibytes', `old 1\n\n${CHECKPOINT}${'x'.repeat(2 * 1024 * 1024)}`, /at most/],
  ])('refuses %s', (_, body, words) => {
    refused(body, words);
  });

  it('will not write an old size that is not a whole number, or a hash that is not 32 bytes', () => {
    expect(() => formatAddCheckpoint({ oldSize: -1, proof: [], checkpoint: CHECKPOINT })).toThrow(
      /whole number/,
    );
    expect(() =>
      formatAddCheckpoint({ oldSize: 1, proof: [new Uint8Array(31)], checkpoint: CHECKPOINT }),
    ).toThrow(/32 bytes/);
  });
});

describe('the text/x.tlog.size answer of a 409', () => {
  it('reads a size and a newline', () => {
    expect(parseTreeSizeBody('20852014\n')).toBe(20852014);
    expect(parseTreeSizeBody('0\n')).toBe(0);
  });

  it.each([
    ['no newline', '12'],
    ['a leading zero', '012\n'],
    ['a carriage return', '12\r\n'],
    ['two lines', '12\n13\n'],
    ['a word', 'twelve\n'],
    ['a negative number', '-1\n'],
    ['nothing', ''],
    ['a huge number', `${'9'.repeat(10_000)}\n`],
  ])('refuses %s', (_, body) => {
    expect(() => parseTreeSizeBody(body)).toThrow(WitnessRequestError);
  });
});
