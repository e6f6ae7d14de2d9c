import type { components } from '../api/ledger-api.d.ts';
import { EVENT_FIELDS, type FieldSpec, type FormEventType } from './event-fields.ts';

export type NewEvent = components['schemas']['NewEvent'];
export type Source = components['schemas']['Source'];

/** One source as typed: every field a text until it is sent. `key` keeps React's list steady. */
export interface SourceDraft {
  readonly key: string;
  readonly title: string;
  readonly publisher: string;
  readonly url: string;
  readonly publishedAt: string;
}

export interface ChargeDraft {
  readonly key: string;
  readonly text: string;
  readonly article: string;
}

/** What a field holds while it is typed: a text, or a tick for yes/no fields. */
export type FieldValue = string | boolean;

/** An event as the form holds it, before it is an event. */
export interface EventDraft {
  readonly type: FormEventType;
  readonly occurredAt: string;
  readonly values: Readonly<Record<string, FieldValue>>;
  readonly charges: readonly ChargeDraft[];
  readonly sources: readonly SourceDraft[];
  readonly note: string;
}

export const emptySource = (): SourceDraft => ({
  key: crypto.randomUUID(),
  title: '',
  publisher: '',
  url: '',
  publishedAt: '',
});

export const emptyCharge = (): ChargeDraft => ({ key: crypto.randomUUID(), text: '', article: '' });

export function emptyDraft(type: FormEventType): EventDraft {
  return { type, occurredAt: '', values: {}, charges: [emptyCharge()], sources: [emptySource()], note: '' };
}

/** A typed object as JSON the API will judge; the API, not the form, is the validator of record. */
type Json = { [key: string]: unknown };

function setAt(target: Json, path: string, value: unknown): void {
  const [head = '', ...rest] = path.split('.');
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  if (target[head] === undefined) target[head] = {};
  setAt(target[head] as Json, rest.join('.'), value);
}

/**
 * What a field sends. A field left empty is left out, so the API says "required" where it is; a number that
 * is not one is sent as typed, so the API's own message says so at the field.
 */
function sentValue(spec: FieldSpec, raw: FieldValue | undefined): unknown {
  if (spec.kind === 'yesNo') return raw === true;
  if (spec.kind === 'flag') return raw === true ? true : undefined;
  const typed = typeof raw === 'string' ? raw : '';
  if (typed.trim() === '') return spec.required && spec.kind !== 'choice' ? typed : undefined;
  if (spec.kind === 'count') return /^\s*-?\d+\s*$/.test(typed) ? Number(typed) : typed;
  return typed;
}

export function sourcesOf(drafts: readonly SourceDraft[]): Source[] {
  return drafts.map((draft) => {
    const source: Json = { title: draft.title };
    if (draft.publisher.trim() !== '') source.publisher = draft.publisher;
    if (draft.url.trim() !== '') source.url = draft.url.trim();
    if (draft.publishedAt.trim() !== '') source.publishedAt = draft.publishedAt.trim();
    return source as unknown as Source;
  });
}

/** The data of a draft, from the fields of its type (and nothing left over from another type). */
export function fieldsData(specs: readonly FieldSpec[], draft: Pick<EventDraft, 'values' | 'charges'>): Json {
  const data: Json = {};
  for (const spec of specs) {
    if (spec.kind === 'charges') {
      data[spec.path] = draft.charges
        .filter((charge) => charge.text.trim() !== '' || charge.article.trim() !== '')
        .map(({ text, article }) => (article.trim() === '' ? { text } : { text, article }));
      continue;
    }
    const value = sentValue(spec, draft.values[spec.path]);
    if (value !== undefined) setAt(data, spec.path, value);
  }
  return data;
}

/**
 * The event a draft describes, with the id made in the browser when given. The occurred-at is sent trimmed,
 * as the words on screen read it.
 */
export function eventOf(draft: EventDraft, eventId?: string): NewEvent {
  const event: Json = {
    ...(eventId !== undefined && { eventId }),
    type: draft.type,
    occurredAt: draft.occurredAt.trim(),
    sources: sourcesOf(draft.sources),
    data: fieldsData(EVENT_FIELDS[draft.type], draft),
  };
  if (draft.note.trim() !== '') event.note = draft.note;
  return event as unknown as NewEvent;
}

/** The ids of one filled form: kept across retries of the same content, renewed when the content changes. */
export interface SubmissionIds {
  readonly eventId: string;
  readonly idempotencyKey: string;
}

export const freshIds = (): SubmissionIds => ({
  eventId: crypto.randomUUID(),
  idempotencyKey: crypto.randomUUID(),
});
