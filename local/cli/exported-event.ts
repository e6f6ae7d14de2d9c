import canonicalize from 'canonicalize';
import * as z from 'zod';
import { eventIdSchema, identifierSchema } from '../../domain/event-catalogue.ts';
import { isNotInFuture, occurredAtOf } from '../../domain/occurred-at.ts';
import { recordedEventSchema } from '../../domain/recorded-event-schema.ts';
import { MAX_SEALED_EVENT_BYTES } from '../../domain/sealed-text.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';

/**
 * The longest line `import` reads. An event is at most 128 KiB of canonical JSON as stored (MAX_SEALED_EVENT_BYTES)
 * and its envelope a few hundred bytes, so anything near this bound is not an export of this ledger.
 */
export const MAX_LINE_BYTES = 1024 * 1024;

const hashSchema = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits');

/** The envelope the ledger set when it recorded the event, checked as strictly as the API would. */
const recordedEnvelopeSchema = z.strictObject({
  streamId: identifierSchema,
  version: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  eventId: eventIdSchema,
  recordedAt: z.iso.datetime(),
  recordedBy: z.string().min(1).max(1000),
  prevHash: hashSchema,
  hash: hashSchema,
});

/** What is wrong with a line: the failing field paths and messages, for one line of output. */
export type LineProblems = readonly string[];

export type ParsedLine = { ok: true; event: StoredEvent } | { ok: false; problems: LineProblems };

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
}

/**
 * The append rules' bound on an event's size, as the event is stored: its canonical JSON with its texts sealed,
 * which is larger than the form the append rules measured.
 */
function sizeProblems(submitted: Record<string, unknown>): string[] {
  const bytes = Buffer.byteLength(canonicalize(submitted) ?? '', 'utf8');
  return bytes > MAX_SEALED_EVENT_BYTES
    ? [`the event is ${bytes} bytes; at most ${MAX_SEALED_EVENT_BYTES}`]
    : [];
}

/**
 * An append refuses an event dated after the moment it is recorded, and the projector continues a view on that
 * promise (a new event never starts before what it was recorded after); a copy must keep it too.
 */
function timeProblems(occurredAt: string, recordedAt: string): string[] {
  return isNotInFuture(occurredAtOf(occurredAt), new Date(recordedAt))
    ? []
    : [
        `occurredAt: ${occurredAt} begins after recordedAt ${recordedAt}; the ledger records nothing in advance`,
      ];
}

/**
 * One line of an `export --format ndjson` file as a stored event. The envelope is checked against the
 * ledger's own rules and the rest against the event catalogue — an import must not bring in what an append
 * would refuse, since the folds trust what the ledger holds. A hash proves only that the content is unchanged,
 * not that it is well formed: whoever wrote the file chose the hashes.
 *
 * The event comes back exactly as written, not as the schemas would normalise it: its hash is over those bytes.
 */
export function parseExportedLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not JSON (${(error as Error).message})`] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: ['not a JSON object: each line holds one event'] };
  }
  const { streamId, version, recordedAt, recordedBy, prevHash, hash, ...submitted } = value as Record<
    string,
    unknown
  >;
  const envelope = recordedEnvelopeSchema.safeParse({
    streamId,
    version,
    eventId: submitted.eventId,
    recordedAt,
    recordedBy,
    prevHash,
    hash,
  });
  const content = recordedEventSchema.safeParse(submitted);
  const problems = [
    ...(envelope.success ? [] : describeIssues(envelope.error)),
    // The envelope already reports a bad or missing eventId.
    ...(content.success ? [] : describeIssues(content.error).filter((p) => !p.startsWith('eventId:'))),
    ...sizeProblems(submitted),
    ...(envelope.success && content.success
      ? timeProblems(content.data.occurredAt, envelope.data.recordedAt)
      : []),
  ];
  return problems.length === 0 ? { ok: true, event: value as StoredEvent } : { ok: false, problems };
}
