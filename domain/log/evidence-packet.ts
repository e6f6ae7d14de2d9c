import * as z from 'zod/mini';

/**
 * The evidence packet of docs/log.md: one case's events exactly as stored, an inclusion proof of each in a
 * checkpoint, and the keys to check its signatures. Read here, strictly, before any check: both the command
 * line (domain/log/evidence-check.ts) and the browser (web/src/evidence/) check what this reads, so this file
 * imports nothing of Node and nothing that would weigh on the page.
 */

export const EVIDENCE_FORMAT = 'detention-ledger-evidence/v1';

/**
 * The largest packet read. A case of ten thousand events with their sealed texts and a proof of each is some
 * 20 MiB; a file much larger is not a packet, and reading it would only stall the reader's laptop.
 */
export const MAX_EVIDENCE_PACKET_BYTES = 50 * 1024 * 1024;

/** More events than a case could hold in that size: refused before any of them is hashed. */
const MAX_EVENTS = 100_000;

/** A tree of fewer than 2^63 leaves has no leaf deeper than 63: a longer path is not a proof. */
const MAX_PROOF_HASHES = 63;

/** Large enough for every cosigner a log could have, small enough to be a checkpoint. */
const MAX_CHECKPOINT_CHARS = 64 * 1024;
const MAX_KEYS = 100;

const HEX_HASH = /^[0-9a-f]{64}$/;
/** Standard base64 with padding of exactly 32 bytes: 43 characters, the last of 4 bits, and one `=`. */
const BASE64_HASH = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

const boundedText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/**
 * An event as the ledger stores it. Its content is not validated against the catalogue here: the check is
 * that its hash covers it, whatever it holds. The object is strict, so a field the hash would not cover
 * (the hash is over exactly these fields) cannot ride along unseen.
 */
const storedEventSchema = z.strictObject({
  streamId: boundedText(128),
  version: z.int().check(z.minimum(1)),
  eventId: boundedText(128),
  type: boundedText(64),
  occurredAt: boundedText(128),
  sources: z.array(z.unknown()),
  note: z.optional(z.unknown()),
  data: z.record(z.string(), z.unknown()),
  recordedAt: boundedText(64),
  recordedBy: boundedText(256),
  prevHash: z.string().check(z.regex(HEX_HASH)),
  hash: z.string().check(z.regex(HEX_HASH)),
});

export type EvidenceEvent = z.output<typeof storedEventSchema>;

const proofSchema = z.strictObject({
  eventId: boundedText(128),
  index: z.int().check(z.minimum(0)),
  hashes: z.array(z.string().check(z.regex(BASE64_HASH))).check(z.maxLength(MAX_PROOF_HASHES)),
});

export type EvidenceProof = z.output<typeof proofSchema>;

const packetSchema = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  caseId: boundedText(128),
  createdAt: boundedText(64),
  checkpoint: boundedText(MAX_CHECKPOINT_CHARS),
  logKey: boundedText(1024),
  witnessKeys: z.array(boundedText(1024)).check(z.maxLength(MAX_KEYS)),
  events: z.array(storedEventSchema).check(z.minLength(1), z.maxLength(MAX_EVENTS)),
  proofs: z.array(proofSchema).check(z.maxLength(MAX_EVENTS)),
  howToCheck: z.optional(z.string()),
});

export interface EvidencePacket {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly caseId: string;
  readonly createdAt: string;
  /** The signed checkpoint note, with its cosignatures, as the ledger served it. */
  readonly checkpoint: string;
  /** The log's verifier key. */
  readonly logKey: string;
  /** The verifier keys of the witnesses whose cosignatures the checkpoint carries. */
  readonly witnessKeys: readonly string[];
  /** In the order the packet gives them: the chain check says whether that is version order. */
  readonly events: readonly EvidenceEvent[];
  /** `proofs[i]` is the proof of `events[i]`, whatever order the file gave them in. */
  readonly proofs: readonly EvidenceProof[];
  readonly howToCheck?: string;
}

/** Why a file is not a packet, with where in it when that helps (a JSON path such as `events[3].hash`). */
export type EvidencePacketProblem =
  | { readonly code: 'empty' }
  | { readonly code: 'too_large'; readonly limit: number }
  | { readonly code: 'not_json' }
  | { readonly code: 'wrong_format'; readonly found?: string }
  | { readonly code: 'not_a_packet'; readonly at: string; readonly detail: string }
  | { readonly code: 'proofs_mismatch'; readonly detail: string };

export type EvidencePacketReading =
  | { readonly ok: true; readonly packet: EvidencePacket }
  | { readonly ok: false; readonly problem: EvidencePacketProblem };

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (at, key) =>
      typeof key === 'number' ? `${at}[${key}]` : at === '' ? String(key) : `${at}.${String(key)}`,
    '',
  );
}

/** Pairs each event with the one proof that names it: no event without, no proof of nothing, no two alike. */
function pairProofs(
  events: readonly EvidenceEvent[],
  proofs: readonly EvidenceProof[],
): EvidenceProof[] | EvidencePacketProblem {
  const byEventId = new Map<string, EvidenceProof>();
  for (const proof of proofs) {
    if (byEventId.has(proof.eventId))
      return { code: 'proofs_mismatch', detail: `two proofs name the event ${proof.eventId}` };
    byEventId.set(proof.eventId, proof);
  }
  const paired: EvidenceProof[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.eventId))
      return { code: 'proofs_mismatch', detail: `the event ${event.eventId} is in the packet twice` };
    seen.add(event.eventId);
    const proof = byEventId.get(event.eventId);
    if (proof === undefined)
      return { code: 'proofs_mismatch', detail: `the event of version ${event.version} has no proof` };
    paired.push(proof);
  }
  const stray = proofs.find((proof) => !seen.has(proof.eventId));
  if (stray !== undefined)
    return {
      code: 'proofs_mismatch',
      detail: `a proof names the event ${stray.eventId}, which is not in the packet`,
    };
  return paired;
}

/**
 * Reads the text of a packet file, or says why it is not one. `size` is the file's size in bytes when the
 * caller knows it (a file picked in a browser, a file on disk), so that a huge file is refused before its
 * text is even parsed.
 */
export function readEvidencePacket(text: string, size: number = text.length): EvidencePacketReading {
  if (size > MAX_EVIDENCE_PACKET_BYTES || text.length > MAX_EVIDENCE_PACKET_BYTES)
    return { ok: false, problem: { code: 'too_large', limit: MAX_EVIDENCE_PACKET_BYTES } };
  if (text.trim() === '') return { ok: false, problem: { code: 'empty' } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: { code: 'not_json' } };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, problem: { code: 'wrong_format' } };
  const format = (json as { format?: unknown }).format;
  if (format !== EVIDENCE_FORMAT)
    return {
      ok: false,
      problem:
        typeof format === 'string'
          ? { code: 'wrong_format', found: format.slice(0, 100) }
          : { code: 'wrong_format' },
    };
  const parsed = packetSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      problem: {
        code: 'not_a_packet',
        at: pathOf(issue?.path ?? []),
        detail: issue?.message ?? 'not a packet',
      },
    };
  }
  const { events, proofs } = parsed.data;
  const paired = pairProofs(events, proofs);
  if (!Array.isArray(paired)) return { ok: false, problem: paired };
  return { ok: true, packet: { ...parsed.data, format: EVIDENCE_FORMAT, proofs: paired } };
}

/** The problem in plain English, for the command line (the web page words it in the reader's language). */
export function describePacketProblem(problem: EvidencePacketProblem): string {
  switch (problem.code) {
    case 'empty':
      return 'the file is empty';
    case 'too_large':
      return `the file is larger than ${problem.limit / (1024 * 1024)} MiB: it is not an evidence packet`;
    case 'not_json':
      return 'the file is not JSON';
    case 'wrong_format':
      return problem.found === undefined
        ? `the file is not an evidence packet (its "format" is not "${EVIDENCE_FORMAT}")`
        : `the file's format is "${problem.found}", not "${EVIDENCE_FORMAT}"`;
    case 'not_a_packet':
      return `the packet is incomplete or malformed at ${problem.at || 'its top level'}: ${problem.detail}`;
    case 'proofs_mismatch':
      return `the proofs do not match the events one to one: ${problem.detail}`;
  }
}
