import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseErasedError } from '../../domain/errors.ts';
import { gcmOpen, gcmSeal } from '../../functions/personal-data/aes-gcm.ts';
import { CaseKeys } from '../../functions/personal-data/case-keys.ts';
import { LocalKeyWrapper, masterKeyFrom } from '../../functions/personal-data/local-key-wrapper.ts';
import { NoKeyAccessError, noKeyWrapper } from '../../functions/personal-data/no-key-wrapper.ts';
import { SubjectVault } from '../../functions/personal-data/subject-vault.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let vault: SubjectVault;
const person = { name: 'Test Person Vault', nationality: 'Utopia', birthYear: 1984, occupation: 'Teacher' };

function vaultWith(wrapper: LocalKeyWrapper | typeof noKeyWrapper) {
  return new SubjectVault(
    new CaseKeys({
      documents: db.clients.documents,
      tableName: db.tables.keys,
      wrapper,
      clock: () => new Date(),
    }),
  );
}

beforeAll(async () => {
  db = await createTestTables('vault');
  vault = db.subjectVault();
});
afterAll(() => db.drop());

describe('AES-256-GCM boxes', () => {
  const key = randomBytes(32);

  it('open with the same key and context, and differ every time they are made', () => {
    const a = gcmSeal(key, Buffer.from('same words'), 'subject:c-1');
    const b = gcmSeal(key, Buffer.from('same words'), 'subject:c-1');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(gcmOpen(key, a, 'subject:c-1').toString()).toBe('same words');
  });

  it('refuse another key, another context and a changed byte', () => {
    const box = gcmSeal(key, Buffer.from('same words'), 'subject:c-1');
    expect(() => gcmOpen(randomBytes(32), box, 'subject:c-1')).toThrow();
    expect(() => gcmOpen(key, box, 'subject:c-2')).toThrow();
    const bytes = Buffer.from(box.ciphertext, 'base64url');
    bytes[0] = bytes[0]! ^ 1;
    expect(() => gcmOpen(key, { ...box, ciphertext: bytes.toString('base64url') }, 'subject:c-1')).toThrow();
  });
});

describe('the local master key', () => {
  it('must be 32 bytes of base64', () => {
    expect(masterKeyFrom(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => masterKeyFrom(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });

  it('wraps a case key that unwraps only for the same case and master key', async () => {
    const wrapper = new LocalKeyWrapper(randomBytes(32));
    const { key, wrapped } = await wrapper.generate('case-a');
    expect(await wrapper.unwrap('case-a', wrapped)).toEqual(key);
    await expect(wrapper.unwrap('case-b', wrapped)).rejects.toThrow();
    await expect(new LocalKeyWrapper(randomBytes(32)).unwrap('case-a', wrapped)).rejects.toThrow();
  });
});

describe('the subject vault', () => {
  it('seals the personal fields, keeps the nationality in clear, and opens them again', async () => {
    const { sealed } = await vault.seal('v-1', person);
    expect(sealed.nationality).toBe('Utopia');
    expect(JSON.stringify(sealed)).not.toMatch(/Test Person Vault|Teacher|1984/);
    expect(await vault.reveal('v-1', sealed)).toEqual({ state: 'clear', subject: person });
  });

  it('gives the same keyed digest for the same subject of a case, and another for another case', async () => {
    const first = await vault.seal('v-2', person);
    expect(await vault.digest('v-2', person)).toBe(first.digest);
    expect(await vault.digest('v-2', { ...person, name: 'Test Person Other' })).not.toBe(first.digest);
    const other = await vault.seal('v-3', person);
    expect(other.digest).not.toBe(first.digest);
  });

  it('keeps one key per case when two openings race for it', async () => {
    const [a, b] = await Promise.all([vault.seal('v-race', person), vault.seal('v-race', person)]);
    expect(a.digest).toBe(b.digest);
  });

  it('does not open a subject moved onto another case', async () => {
    const { sealed } = await vault.seal('v-4', person);
    await vault.seal('v-5', person);
    expect(await vault.reveal('v-5', sealed)).toEqual({ state: 'unreadable' });
  });

  it('reads erased once the key is destroyed, and refuses a digest', async () => {
    const { sealed } = await vault.seal('v-6', person);
    expect(await vault.erase('v-6')).toEqual({ existed: true });
    expect(await vault.hasKey('v-6')).toBe(false);
    expect(await vault.reveal('v-6', sealed)).toEqual({ state: 'erased' });
    await expect(vault.digest('v-6', person)).rejects.toThrow(CaseErasedError);
    expect(await vault.erase('v-6')).toEqual({ existed: false });
  });

  it('cannot open or make keys in a process that holds none', async () => {
    const { sealed } = await vault.seal('v-7', person);
    const keyless = vaultWith(noKeyWrapper);
    await expect(keyless.reveal('v-7', sealed)).rejects.toThrow(NoKeyAccessError);
    await expect(keyless.seal('v-8', person)).rejects.toThrow(NoKeyAccessError);
  });

  it('cannot open with another master key: the key it was wrapped by is not held, as after its rotation', async () => {
    const { sealed } = await vault.seal('v-9', person);
    expect(await vaultWith(new LocalKeyWrapper(randomBytes(32))).reveal('v-9', sealed)).toEqual({
      state: 'erased',
    });
  });
});

describe('sealing free texts', () => {
  const eventId = '2a4c6e8f-0b1d-4f3a-8c5e-7a9b1d3f5e70';

  it('opens a text only in its own case, event and field', async () => {
    const seal = (await vault.sealFor('t-1', { create: true }))!;
    const box = seal.sealText('Seen by Test Person Texted', eventId, 'note');
    expect(JSON.stringify(box)).not.toContain('Texted');
    const opener = await vault.openerFor('t-1');
    expect(opener.text(box, eventId, 'note')).toBe('Seen by Test Person Texted');
    expect(opener.text(box, eventId, 'sources.0.title')).toBe('[unreadable]');
    expect(opener.text(box, '9a4c6e8f-0b1d-4f3a-8c5e-7a9b1d3f5e70', 'note')).toBe('[unreadable]');
    await vault.sealFor('t-2', { create: true });
    expect((await vault.openerFor('t-2')).text(box, eventId, 'note')).toBe('[unreadable]');
    // A text stored in clear, before texts were sealed, reads as it is.
    expect(opener.text('an old note', eventId, 'note')).toBe('an old note');
  });

  it('reads [erased] once the key is destroyed, and makes no key for a case that has none unless asked', async () => {
    const seal = (await vault.sealFor('t-3', { create: true }))!;
    const box = seal.sealText('Test Person Gone', eventId, 'note');
    await vault.erase('t-3');
    expect(await vault.sealFor('t-3', { create: false })).toBeUndefined();
    expect((await vault.openerFor('t-3')).text(box, eventId, 'note')).toBe('[erased]');
    const throwaway = vault.afterErasure('t-3');
    const after = throwaway.sealText('Test Person Gone', eventId, 'note');
    expect((await vault.openerFor('t-3')).text(after, eventId, 'note')).toBe('[erased]');
    expect(await vault.hasKey('t-3')).toBe(false);
  });

  it('keys fingerprints by the case, so the same event gives another in another case and no plain hash', async () => {
    const event = {
      eventId,
      type: 'ConsularVisit' as const,
      occurredAt: '2025-07-03',
      sources: [{ title: 'Visit report' }],
      data: { by: 'Embassy of Utopia', notes: 'Test Person Printed' },
    };
    const a = (await vault.sealFor('t-4', { create: true }))!;
    const b = (await vault.sealFor('t-5', { create: true }))!;
    expect(a.fingerprint(event)).toBe((await vault.sealFor('t-4', { create: false }))!.fingerprint(event));
    expect(a.fingerprint(event)).not.toBe(b.fingerprint(event));
    expect(a.fingerprint(event)).toMatch(/^hmac:/);
    // After an erasure, only what is kept is fingerprinted: the same facts give the same print, whatever the text.
    const gone = vault.afterErasure('t-4');
    expect(gone.fingerprint(event)).toBe(
      vault.afterErasure('t-4').fingerprint({ ...event, data: { ...event.data, notes: 'x' } }),
    );
  });
});
