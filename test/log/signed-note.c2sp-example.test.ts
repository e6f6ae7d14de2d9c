import { describe, expect, it } from 'vitest';
import { formatNote, parseNote, verifyNote } from '../../domain/log/signed-note.ts';
import { formatVerifierKey, parseVerifierKey } from '../../domain/log/verifier-key.ts';
import { signedBy } from '../support/c2sp-note-checker.ts';

// The example of C2SP signed-note, "Verifier keys".
const VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const NOTE =
  'This is an example message.\n\n' +
  '— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

describe('the C2SP signed-note example', () => {
  const key = parseVerifierKey(VKEY);

  it('reads the verifier key and writes it back the same', () => {
    expect(key.name).toBe('example.com/foo');
    expect(Buffer.from(key.keyId).toString('hex')).toBe('530d903a');
    expect(key.type).toBe(0x01);
    expect(formatVerifierKey(key.name, key.type, key.publicKey)).toBe(VKEY);
  });

  it('verifies the example note, as the independent checker does', () => {
    const note = parseNote(NOTE);
    expect(note.text).toBe('This is an example message.\n');
    expect(verifyNote(note, [key])).toEqual({ verified: [key], failed: [] });
    expect(signedBy(NOTE, VKEY)).toBe(true);
    expect(formatNote(note)).toBe(NOTE);
  });

  it('fails the key when the text is altered by one character', () => {
    const altered = parseNote(NOTE.replace('example message', 'example massage'));
    expect(verifyNote(altered, [key])).toEqual({ verified: [], failed: [key] });
  });

  it('fails the key when a byte of the signature is altered', () => {
    const note = parseNote(NOTE);
    const signature = note.signatures[0]!;
    const flipped = Uint8Array.from(signature.signature);
    flipped[10] = flipped[10]! ^ 0x01;
    const altered = { ...note, signatures: [{ ...signature, signature: flipped }] };
    expect(verifyNote(altered, [key])).toEqual({ verified: [], failed: [key] });
  });

  it('ignores signatures from unknown keys, even one sharing the name or the key ID', () => {
    const known = parseNote(NOTE).signatures[0]!;
    const otherId = { ...known, keyId: Uint8Array.of(1, 2, 3, 4), signature: new Uint8Array(64) };
    const otherName = { ...known, name: 'example.com/bar', signature: new Uint8Array(64) };
    const note = { text: 'This is an example message.\n', signatures: [otherId, otherName, known] };
    expect(verifyNote(note, [key])).toEqual({ verified: [key], failed: [] });
    expect(verifyNote({ ...note, signatures: [otherId, otherName] }, [key])).toEqual({
      verified: [],
      failed: [],
    });
    expect(signedBy(formatNote({ ...note, signatures: [otherId, otherName] }), VKEY)).toBeUndefined();
  });

  it('fails a known key when one of two lines in its name and ID does not verify', () => {
    const known = parseNote(NOTE).signatures[0]!;
    const forged = { ...known, signature: new Uint8Array(64) };
    const note = { text: 'This is an example message.\n', signatures: [known, forged] };
    expect(verifyNote(note, [key])).toEqual({ verified: [], failed: [key] });
  });

  it('reads the checkpoint of docs/log.md, whose second line is a cosignature', () => {
    const checkpoint =
      'localhost/detention-ledger\n1042\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
      '— localhost/detention-ledger Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
      '— witness.example.org/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
    const note = parseNote(checkpoint);
    expect(note.signatures.map((s) => [s.name, s.signature.length])).toEqual([
      ['localhost/detention-ledger', 64],
      ['witness.example.org/w1', 72],
    ]);
    expect(formatNote(note)).toBe(checkpoint);
  });
});
