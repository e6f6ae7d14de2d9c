import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NoteFormatError } from '../../domain/log/signed-note.ts';
import {
  formatVerifierKey,
  keyIdOf,
  parseVerifierKey,
  SIGNATURE_TYPE,
} from '../../domain/log/verifier-key.ts';
import { readVkey } from '../support/c2sp-note-checker.ts';

function rawPublicKey(): Uint8Array {
  const { x } = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(x!, 'base64url'));
}

const EXAMPLE = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';

describe('verifier keys', () => {
  it('writes keys of both types that the independent checker reads, with distinct key IDs', () => {
    const publicKey = rawPublicKey();
    const log = formatVerifierKey('log.example/a', SIGNATURE_TYPE.ed25519, publicKey);
    const witness = formatVerifierKey('log.example/a', SIGNATURE_TYPE.cosignatureV1, publicKey);
    expect(readVkey(log).type).toBe(0x01);
    expect(readVkey(witness).type).toBe(0x04);
    expect(readVkey(log).idHex).not.toBe(readVkey(witness).idHex);
    expect(parseVerifierKey(witness)).toEqual({
      name: 'log.example/a',
      type: 0x04,
      keyId: keyIdOf('log.example/a', 0x04, publicKey),
      publicKey,
    });
  });

  it('reads a key whose base64 holds plus signs', () => {
    // Found by trying keys until one's base64 holds a "+": the parts are split at the first two plus signs only.
    let publicKey = rawPublicKey();
    while (!formatVerifierKey('w', 0x04, publicKey).split('+').slice(2).join('+').includes('+')) {
      publicKey = rawPublicKey();
    }
    expect(parseVerifierKey(formatVerifierKey('w', 0x04, publicKey)).publicKey).toEqual(publicKey);
  });

  it.each([
    [
      'a key ID that is not the one the name and key give',
      EXAMPLE.replace('530d903a', '530d903b'),
      /not the one/,
    ],
    ['another name for the same key', EXAMPLE.replace('example.com/foo', 'example.com/bar'), /not the one/],
    ['an uppercase key ID', EXAMPLE.replace('530d903a', '530D903A'), /lowercase hex/],
    ['a short key ID', EXAMPLE.replace('530d903a', '530d903'), /8 lowercase hex/],
    ['no key', 'example.com/foo+530d903a', /three parts/],
    ['one part', 'example.com/foo', /three parts/],
    ['an empty name', '+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k', /key name/],
    ['a name with a space', 'example .com+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k', /key name/],
    ['a key in unpadded base64', EXAMPLE.slice(0, -1), /base64/],
    [
      'a key cut short',
      `example.com/foo+530d903a+${Buffer.alloc(20, 1).toString('base64')}`,
      /type|32 bytes/,
    ],
    [
      'a key of type 0x02 (ECDSA)',
      `example.com/foo+530d903a+${Buffer.concat([Buffer.from([2]), Buffer.alloc(32)]).toString('base64')}`,
      /0x02/,
    ],
    [
      'a 33-byte key',
      `example.com/foo+530d903a+${Buffer.concat([Buffer.from([1]), Buffer.alloc(33)]).toString('base64')}`,
      /32 bytes/,
    ],
    ['a control character', `${EXAMPLE}\n`, /base64/],
    ['something huge', `example.com/foo+530d903a+${'A'.repeat(2_000_000)}`, /at most 1024/],
  ])('refuses %s', (_, text, words) => {
    expect(() => parseVerifierKey(text)).toThrow(NoteFormatError);
    expect(() => parseVerifierKey(text)).toThrow(words);
  });

  it('refuses to make a key ID for a key that is not 32 bytes or a type it does not use', () => {
    expect(() => keyIdOf('a', 0x01, new Uint8Array(31))).toThrow(/32 bytes/);
    expect(() => keyIdOf('a', 0x02 as 0x01, new Uint8Array(32))).toThrow(/0x02/);
    expect(() => keyIdOf('a+b', 0x01, new Uint8Array(32))).toThrow(/key name/);
  });
});
