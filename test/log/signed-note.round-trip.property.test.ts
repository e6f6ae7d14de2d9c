import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatNote,
  NoteFormatError,
  parseNote,
  parseSignatureLines,
  signatureLine,
} from '../../domain/log/signed-note.ts';
import { readNote } from '../support/c2sp-note-checker.ts';

const withoutControls = (text: string) => [...text].filter((c) => c.codePointAt(0)! >= 0x20).join('');

// Any text signed-note allows: no control characters but newlines, ending in one, any script.
const noteText = fc
  .array(fc.string({ unit: 'grapheme', maxLength: 30 }).map(withoutControls), { minLength: 1, maxLength: 6 })
  .map((lines) => `${lines.join('\n')}\n`);
const keyName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .map((name) => withoutControls(name).replace(/[\p{White_Space}+]/gu, ''))
  .filter((name) => name.length > 0);
const signature = fc.record({
  name: keyName,
  keyId: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  signature: fc.uint8Array({ minLength: 1, maxLength: 80 }),
});

describe('signed notes, for any text and signatures', () => {
  it('read back as written, and as the independent checker reads them', () => {
    fc.assert(
      fc.property(noteText, fc.array(signature, { minLength: 1, maxLength: 5 }), (text, signatures) => {
        const written = formatNote({ text, signatures });
        const read = parseNote(written);
        expect(read.text).toBe(text);
        expect(read.signatures).toEqual(signatures);
        expect(readNote(written).text).toBe(text);
        expect(parseSignatureLines(signatures.map(signatureLine).join(''))).toEqual(signatures);
      }),
      { numRuns: 300 },
    );
  });

  it('are refused, never misread, when a control character is put anywhere in them', () => {
    fc.assert(
      fc.property(
        noteText,
        signature,
        fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x0a),
        fc.nat(),
        (text, one, control, at) => {
          const written = formatNote({ text, signatures: [one] });
          const where = at % (written.length + 1);
          const hostile = `${written.slice(0, where)}${String.fromCharCode(control)}${written.slice(where)}`;
          expect(() => parseNote(hostile)).toThrow(NoteFormatError);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseSignatureLines', () => {
  it.each([
    ['nothing', ''],
    ['no final newline', '— a AAAAAAAA'],
    ['a blank line', '— a AAAAAAAA\n\n'],
    ['a line without the em dash', 'a AAAAAAAA\n'],
    ['a control character', '— a AAAA\tAAAA\n'],
    ['101 lines', '— a AAAAAAAA\n'.repeat(101)],
    ['two mebibytes', `— a ${'A'.repeat(2 * 1024 * 1024)}\n`],
  ])('refuses %s', (_, lines) => {
    expect(() => parseSignatureLines(lines)).toThrow(NoteFormatError);
  });
});
