import { describe, expect, it } from 'vitest';
import { checkpointText, parseCheckpoint } from '../../domain/log/checkpoint.ts';
import { NoteFormatError } from '../../domain/log/signed-note.ts';
import { readCheckpointText } from '../support/c2sp-note-checker.ts';

const ROOT = Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64');
const TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

describe('checkpoints', () => {
  it('reads and writes the C2SP tlog-checkpoint example', () => {
    const checkpoint = parseCheckpoint(TEXT);
    expect(checkpoint).toEqual({
      origin: 'example.com/behind-the-sofa',
      size: 20852163,
      root: new Uint8Array(ROOT),
    });
    expect(checkpointText(checkpoint)).toBe(TEXT);
    expect(readCheckpointText(checkpointText(checkpoint)).size).toBe(20852163n);
  });

  it('writes the empty tree as size 0 and keeps extension lines in order', () => {
    const text = checkpointText({ origin: 'o', size: 0, root: new Uint8Array(32), extensions: ['x', 'y z'] });
    expect(text).toBe(`o\n0\n${Buffer.alloc(32).toString('base64')}\nx\ny z\n`);
    expect(parseCheckpoint(text).extensions).toEqual(['x', 'y z']);
  });

  it.each([
    ['a size with a leading zero', TEXT.replace('20852163', '020852163'), /leading zeros/],
    ['a size of "00"', TEXT.replace('20852163', '00'), /leading zeros/],
    ['a negative size', TEXT.replace('20852163', '-1'), /leading zeros/],
    ['a size with a plus', TEXT.replace('20852163', '+1'), /leading zeros/],
    ['a size in hex', TEXT.replace('20852163', '0x10'), /leading zeros/],
    ['a size with a space', TEXT.replace('20852163', '1 '), /leading zeros/],
    ['a size beyond 2^53', TEXT.replace('20852163', '9007199254740993'), /leading zeros/],
    ['a huge size', TEXT.replace('20852163', '9'.repeat(100_000)), /leading zeros/],
    [
      'a root of 31 bytes',
      TEXT.replace(ROOT.toString('base64'), ROOT.subarray(1).toString('base64')),
      /32 bytes/,
    ],
    [
      'a root of 33 bytes',
      TEXT.replace(ROOT.toString('base64'), Buffer.concat([ROOT, Buffer.from([1])]).toString('base64')),
      /32 bytes/,
    ],
    ['a root in unpadded base64', TEXT.replace('q2I=', 'q2I'), /32 bytes/],
    ['a root in hex', TEXT.replace(ROOT.toString('base64'), ROOT.toString('hex')), /32 bytes/],
    ['an empty origin', TEXT.replace('example.com/behind-the-sofa', ''), /origin is empty/],
    ['two lines only', 'example.com/a\n1\n', /three lines/],
    ['no final newline', TEXT.slice(0, -1), /newline/],
    ['an empty extension line', `${TEXT}ext\n\n`, /extension/],
    ['a tab in the origin', TEXT.replace('behind', 'be\thind'), /control character/],
    ['a carriage return ending a line', TEXT.replace('\n', '\r\n'), /control character/],
    ['two mebibytes', `${TEXT}${'x'.repeat(2 * 1024 * 1024)}\n`, /at most 1 MiB/],
  ])('refuses %s', (_, text, words) => {
    expect(() => parseCheckpoint(text)).toThrow(NoteFormatError);
    expect(() => parseCheckpoint(text)).toThrow(words);
  });

  it.each([
    ['an empty origin', { origin: '', size: 1, root: new Uint8Array(32) }, /origin is empty/],
    ['an origin with a newline', { origin: 'a\nb', size: 1, root: new Uint8Array(32) }, /newline/],
    ['a fractional size', { origin: 'a', size: 1.5, root: new Uint8Array(32) }, /whole number/],
    ['a negative size', { origin: 'a', size: -1, root: new Uint8Array(32) }, /whole number/],
    ['a size beyond 2^53', { origin: 'a', size: 2 ** 53, root: new Uint8Array(32) }, /whole number/],
    ['a root of 20 bytes', { origin: 'a', size: 1, root: new Uint8Array(20) }, /32 bytes/],
    ['an empty extension', { origin: 'a', size: 1, root: new Uint8Array(32), extensions: [''] }, /extension/],
  ])('will not write a checkpoint with %s', (_, checkpoint, words) => {
    expect(() => checkpointText(checkpoint)).toThrow(NoteFormatError);
    expect(() => checkpointText(checkpoint)).toThrow(words);
  });
});
