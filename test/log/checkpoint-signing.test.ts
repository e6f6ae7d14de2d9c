import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointText } from '../../domain/log/checkpoint.ts';
import { cosign, cosignatureMessage, cosignatureTime } from '../../domain/log/cosignature.ts';
import {
  formatNote,
  type Note,
  parseNote,
  signatureLine,
  signNote,
  verifyNote,
} from '../../domain/log/signed-note.ts';
import { formatVerifierKey, parseVerifierKey, SIGNATURE_TYPE } from '../../domain/log/verifier-key.ts';
import { type Ed25519Key, loadOrCreateEd25519KeyFile } from '../../local/log-key-file.ts';
import { cosignedAt, readCheckpointText, signedBy } from '../support/c2sp-note-checker.ts';

const ORIGIN = 'localhost/detention-ledger';
const WITNESS = 'witness.example.org/w1';
const TIME = 1_796_000_000;

let logKey: Ed25519Key;
let witnessKey: Ed25519Key;
let logVkey: string;
let witnessVkey: string;
let text: string;
let signed: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-keys-'));
  logKey = await loadOrCreateEd25519KeyFile(join(dir, 'log.pem'));
  witnessKey = await loadOrCreateEd25519KeyFile(join(dir, 'witness.pem'));
  logVkey = formatVerifierKey(ORIGIN, SIGNATURE_TYPE.ed25519, logKey.publicKey);
  witnessVkey = formatVerifierKey(WITNESS, SIGNATURE_TYPE.cosignatureV1, witnessKey.publicKey);
  text = checkpointText({ origin: ORIGIN, size: 1042, root: new Uint8Array(32).fill(7) });
  const logSignature = await signNote(text, { name: ORIGIN, ...logKey });
  const cosignature = await cosign(text, TIME, { name: WITNESS, ...witnessKey });
  signed = formatNote({ text, signatures: [logSignature, cosignature] });
});

describe('checkpoints signed with key files, graded by the independent checker', () => {
  it('carries a log signature and a cosignature/v1 that the checker verifies', () => {
    expect(readCheckpointText(parseNote(signed).text)).toMatchObject({ origin: ORIGIN, size: 1042n });
    expect(signedBy(signed, logVkey)).toBe(true);
    expect(signedBy(signed, witnessVkey)).toBe(true);
    expect(cosignedAt(signed, witnessVkey)).toBe(BigInt(TIME));
  });

  it('verifies by verifyNote too, and the time reads back', () => {
    const note = parseNote(signed);
    const keys = [parseVerifierKey(logVkey), parseVerifierKey(witnessVkey)];
    expect(verifyNote(note, keys)).toEqual({ verified: keys, failed: [] });
    expect(cosignatureTime(note.signatures[1]!)).toBe(TIME);
  });

  it('fails at the checker and at verifyNote when the size is changed after signing', () => {
    const forged = signed.replace('\n1042\n', '\n1043\n');
    expect(signedBy(forged, logVkey)).toBe(false);
    expect(signedBy(forged, witnessVkey)).toBe(false);
    const keys = [parseVerifierKey(logVkey), parseVerifierKey(witnessVkey)];
    expect(verifyNote(parseNote(forged), keys)).toEqual({ verified: [], failed: keys });
  });

  it('fails the cosignature when its timestamp is changed, the signature kept', () => {
    const note = parseNote(signed);
    const cosignature = note.signatures[1]!;
    const later = Uint8Array.from(cosignature.signature);
    later[7] = later[7]! + 1;
    const forged: Note = { text, signatures: [note.signatures[0]!, { ...cosignature, signature: later }] };
    expect(signedBy(formatNote(forged), witnessVkey)).toBe(false);
    expect(verifyNote(forged, [parseVerifierKey(witnessVkey)]).failed).toHaveLength(1);
  });

  it('does not let a log signature pass as a cosignature by the same key, nor the reverse', async () => {
    // One key, two types: the key IDs differ (the type is hashed in), so each line is only read as its own type.
    const asCosigner = formatVerifierKey(ORIGIN, SIGNATURE_TYPE.cosignatureV1, logKey.publicKey);
    expect(signedBy(signed, asCosigner)).toBeUndefined();
    expect(verifyNote(parseNote(signed), [parseVerifierKey(asCosigner)])).toEqual({
      verified: [],
      failed: [],
    });
  });

  it('answers cosignature lines a log can append to its checkpoint, as tlog-witness says', async () => {
    const line = signatureLine(await cosign(text, TIME + 60, { name: WITNESS, ...witnessKey }));
    const gathered = `${signed}${line}`;
    expect(signedBy(gathered, witnessVkey)).toBe(true);
    expect(parseNote(gathered).signatures).toHaveLength(3);
  });
});

describe('the cosignature/v1 message', () => {
  it('is the header, the time line and the note text, as tlog-cosignature shows', () => {
    const example = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    expect(Buffer.from(cosignatureMessage(example, 1679315147)).toString('utf8')).toBe(
      `cosignature/v1\ntime 1679315147\n${example}`,
    );
  });

  it('refuses a time that is not whole seconds since the epoch, and a text without its newline', () => {
    expect(() => cosignatureMessage(text, -1)).toThrow(/whole seconds/);
    expect(() => cosignatureMessage(text, 1.5)).toThrow(/whole seconds/);
    expect(() => cosignatureMessage(text, 2 ** 53)).toThrow(/whole seconds/);
    expect(() => cosignatureMessage('no newline', 1)).toThrow(/newline/);
  });

  it('reads no time from a signature that is not 72 bytes', () => {
    expect(() =>
      cosignatureTime({ name: WITNESS, keyId: new Uint8Array(4), signature: new Uint8Array(64) }),
    ).toThrow(/72 bytes/);
  });

  it('refuses a signer that answers something other than 64 bytes', async () => {
    const broken = { name: WITNESS, publicKey: witnessKey.publicKey, sign: async () => new Uint8Array(63) };
    await expect(cosign(text, TIME, broken)).rejects.toThrow(/64-byte/);
    await expect(signNote(text, broken)).rejects.toThrow(/64-byte/);
  });

  it('will not cosign at time 0, which tlog-witness forbids', async () => {
    await expect(cosign(text, 0, { name: WITNESS, ...witnessKey })).rejects.toThrow(/after the epoch/);
  });

  it('fails a cosignature whose time is above 2^63 - 1', async () => {
    const note = parseNote(signed);
    const cosignature = note.signatures[1]!;
    const huge = Uint8Array.from(cosignature.signature);
    huge[0] = 0x80;
    const forged: Note = { text, signatures: [{ ...cosignature, signature: huge }] };
    expect(verifyNote(forged, [parseVerifierKey(witnessVkey)]).failed).toHaveLength(1);
  });
});
