import { describe, expect, it } from 'vitest';
import {
  formatNote,
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  NoteFormatError,
  parseNote,
  signatureLine,
} from '../../domain/log/signed-note.ts';

const LINE =
  '— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
const TEXT = 'This is an example message.\n';

function refused(note: string, words: RegExp): void {
  expect(() => parseNote(note)).toThrow(NoteFormatError);
  expect(() => parseNote(note)).toThrow(words);
}

describe('parseNote refuses what signed-note does not allow', () => {
  it.each([
    ['NUL', '\u0000'],
    ['tab', '\t'],
    ['carriage return', '\r'],
    ['escape', '\u001b'],
    ['unit separator', '\u001f'],
  ])('a %s in the text', (_, character) => {
    refused(`This is ${character}an example.\n\n${LINE}`, /control character/);
  });

  it('a carriage return at the end of a signature line', () => {
    refused(`${TEXT}\n${LINE.replace('\n', '\r\n')}`, /control character/);
  });

  it('a lone surrogate, which has no UTF-8 encoding', () => {
    refused(`lone \ud800 half\n\n${LINE}`, /surrogate/);
    refused(`lone \udc00 half\n\n${LINE}`, /surrogate/);
  });

  it('accepts text in any script, paired surrogates included', () => {
    const note = parseNote(`Ognuno sta solo 😀 ed è subito sera.\n\n${LINE}`);
    expect(note.text).toBe('Ognuno sta solo 😀 ed è subito sera.\n');
  });

  it('no blank line, no signature, no final newline', () => {
    refused(`${TEXT}${LINE}`, /blank line/);
    refused(`${TEXT}\n`, /blank line|signature/);
    refused(`${TEXT}\n\n`, /signature/);
    refused(`${TEXT}\n${LINE.slice(0, -1)}`, /newline/);
    refused('', /newline/);
  });

  it('a line after the blank line that is not a signature line', () => {
    refused(`${TEXT}\n${LINE}not a signature\n`, /signature line 2/);
    refused(`${TEXT}\n- example.com/foo AAAA\n`, /em dash/);
    refused(`${TEXT}\n—example.com/foo AAAAAAAA\n`, /em dash/);
    refused(`${TEXT}\n— example.com/foo\n`, /no space/);
  });

  it('a key name that is empty or holds a plus or a Unicode space', () => {
    refused(`${TEXT}\n—  AAAAAAAA\n`, /key name/);
    refused(`${TEXT}\n— example.com+foo AAAAAAAA\n`, /key name/);
    refused(`${TEXT}\n— example.com\u00a0foo AAAAAAAA\n`, /key name/);
    refused(`${TEXT}\n— example.com\u3000foo AAAAAAAA\n`, /key name/);
  });

  it.each([
    ['missing padding', 'AAAAAAA'],
    ['a character outside the alphabet', 'AAAA*AAA'],
    ['URL-safe characters', 'AAAA-_AA'],
    ['stray bits in the last character', 'AAAAAAB='],
    ['spaces inside', 'AAAA AAAA'],
    ['nothing', ''],
  ])('a signature in base64 with %s', (_, encoded) => {
    refused(`${TEXT}\n— example.com/foo ${encoded}\n`, /base64|too short/);
  });

  it('a signature too short to hold a key ID and a signature', () => {
    refused(`${TEXT}\n— example.com/foo AAAAAA==\n`, /too short/);
  });

  it(`more than ${MAX_NOTE_SIGNATURES} signatures, and accepts exactly that many`, () => {
    expect(parseNote(`${TEXT}\n${LINE.repeat(MAX_NOTE_SIGNATURES)}`).signatures).toHaveLength(
      MAX_NOTE_SIGNATURES,
    );
    refused(`${TEXT}\n${LINE.repeat(MAX_NOTE_SIGNATURES + 1)}`, /at most 100 signatures/);
  });

  it('a note above 1 MiB, counted in UTF-8 bytes', () => {
    refused(`${'a'.repeat(MAX_NOTE_BYTES)}\n\n${LINE}`, /at most/);
    // Two bytes each in UTF-8: under the limit in characters, over it in bytes.
    refused(`${'é'.repeat(MAX_NOTE_BYTES / 2)}\n\n${LINE}`, /at most/);
  });

  it('splits at the last blank line, so a text may hold blank lines of its own', () => {
    const note = parseNote(`one\n\ntwo\n\n${LINE}`);
    expect(note.text).toBe('one\n\ntwo\n');
    expect(note.signatures).toHaveLength(1);
  });
});

describe('formatNote and signatureLine write only what parseNote reads back', () => {
  const signature = parseNote(`${TEXT}\n${LINE}`).signatures[0]!;

  it('refuses a text without a final newline or with control characters', () => {
    expect(() => formatNote({ text: 'no newline', signatures: [signature] })).toThrow(NoteFormatError);
    expect(() => formatNote({ text: 'a\ttab\n', signatures: [signature] })).toThrow(/control character/);
  });

  it('refuses a note without signatures', () => {
    expect(() => formatNote({ text: TEXT, signatures: [] })).toThrow(/at least one signature/);
  });

  it('refuses a key name with a space and a key ID that is not 4 bytes', () => {
    expect(() => signatureLine({ ...signature, name: 'a b' })).toThrow(/key name/);
    expect(() => signatureLine({ ...signature, keyId: new Uint8Array(3) })).toThrow(/4 bytes/);
  });

  it('writes the line signed-note gives', () => {
    expect(signatureLine(signature)).toBe(LINE);
  });
});
