import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Services } from '../../functions/services.ts';
import { jsonAt, ledgerItemCount, rawRequest, typedClient } from '../support/api-client.ts';
import { consularVisit, detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

/**
 * Text that is not Unicode, or holds characters nobody can see, is refused at the schema with the field's path:
 * never a 500 from the hashing deep inside, never a second facility that only looks like the first.
 */
let db: TestTables;
let services: Services;
let client: Awaited<ReturnType<typeof typedClient>>;
const now = new Date('2026-11-24T12:00:00.000Z');

beforeAll(async () => {
  db = await createTestTables('hostile-text');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  const opened = await client.cases.$post({
    header: {},
    json: { caseId: 'text-case', subject: { name: 'Test Person T' } },
  });
  expect(opened.status).toBe(201);
});
afterAll(() => db.drop());

/** The part of a validation problem these tests read. */
const validationProblem = z.looseObject({ type: z.string(), errors: z.array(z.unknown()) });

/**
 * Posts a body as hostile clients send it, past the request types (extra fields, any JSON media type), and
 * reads the answer as the validation problem it must be.
 */
async function postHostile(path: string, body: unknown, headers: Record<string, string> = {}) {
  const answer = await rawRequest(services.app, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: answer.status, problem: validationProblem.safeParse(await answer.json()).data };
}

/** JSON.stringify writes a lone surrogate as the escape `\ud800`, which is how a hostile client sends it. */
const cases: Array<[string, string, () => unknown, string]> = [
  ['a subject name', '/cases', () => ({ subject: { name: 'Test \ud800 Person' } }), 'subject.name'],
  ['a label', '/cases', () => ({ subject: { name: 'Test Person L' }, labels: ['x\udc00'] }), 'labels.0'],
  [
    'a note',
    '/cases/text-case/events',
    () => ({ events: [{ ...withoutId(consularVisit('2025-07-03')), note: 'seen \ud800' }] }),
    'events.0.note',
  ],
  [
    'a source title',
    '/cases/text-case/events',
    () => ({ events: [{ ...withoutId(consularVisit('2025-07-03')), sources: [{ title: '\udbff' }] }] }),
    'events.0.sources.0.title',
  ],
  [
    'a facility',
    '/cases/text-case/events',
    () => ({ events: [{ ...withoutId(detained('2025-06-30')), data: { place: 'X', facility: 'A\ud800' } }] }),
    'events.0.data.facility',
  ],
];

describe('a lone surrogate in any text field', () => {
  it.each(cases)('in %s is a 400 naming the field, and records nothing', async (_, path, body, field) => {
    const before = await ledgerItemCount(db);
    const answer = await postHostile(path, body());
    expect(answer.status).toBe(400);
    expect(answer.problem?.type).toBe('urn:problem:detention-ledger:validation-failed');
    expect(answer.problem?.errors).toEqual([
      { path: field, message: 'must be valid Unicode: it holds an unpaired surrogate' },
    ]);
    expect(await ledgerItemCount(db)).toBe(before);
  });
});

describe('control and invisible characters', () => {
  it('refuses NUL in a note with the field path', async () => {
    const answer = await postHostile('/cases/text-case/events', {
      events: [{ ...withoutId(consularVisit('2025-07-03')), note: 'before\u0000after' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.problem?.errors).toEqual([
      { path: 'events.0.note', message: 'must not hold the control character U+0000' },
    ]);
  });

  it('refuses a facility that differs from another only by a zero-width space', async () => {
    const answer = await postHostile('/cases/text-case/events', {
      events: [
        { ...withoutId(detained('2025-06-30')), data: { place: 'X', facility: 'Harbour\u200bRemand' } },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.problem?.errors).toEqual([
      { path: 'events.0.data.facility', message: 'must not hold the invisible character U+200B' },
    ]);
  });

  it('keeps line breaks and tabs in a note', async () => {
    const answer = await client.cases[':caseId'].events.$post({
      param: { caseId: 'text-case' },
      header: {},
      json: { events: [{ ...withoutId(consularVisit('2025-07-03')), note: 'first\r\n\tsecond' }] },
    });
    expect(answer.status).toBe(201);
    expect((await jsonAt(answer, 201)).events[0]?.note).toBe('first\r\n\tsecond');
  });
});

/** Deeper than the shape checks allow, in a field the schema would only call unknown. */
function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('every JSON media type goes through the shape checks', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/problem+json',
    'application/vnd.example.ledger+json',
    'application/vnd.example.ledger+json; version=2',
  ])('%s', async (contentType) => {
    const answer = await postHostile(
      '/cases',
      { subject: { name: 'Test Person S' }, extra: deeplyNested(40) },
      { 'content-type': contentType },
    );
    expect(answer.status).toBe(400);
    expect(answer.problem?.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('nested deeper than 12 levels') }),
    ]);
  });
});
