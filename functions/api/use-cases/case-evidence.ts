import { CaseNotFoundError } from '../../../domain/errors.ts';
import { parseCheckpoint } from '../../../domain/log/checkpoint.ts';
import { parseNote, verifyNote } from '../../../domain/log/signed-note.ts';
import { parseVerifierKey, type VerifierKey } from '../../../domain/log/verifier-key.ts';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import { LogEventNotFoundError } from '../../log/log-errors.ts';
import type { LogReads } from '../../log/log-reads.ts';
import { ApiError, UnavailableError } from '../api-error.ts';
import type { ApiDependencies } from '../app-env.ts';
import { mapInBatches } from '../in-batches.ts';

export const EVIDENCE_FORMAT = 'detention-ledger-evidence/v1';
export const EVIDENCE_MEDIA_TYPE = 'application/vnd.detention-ledger.evidence+json';

/** The case has events the log has not taken in or published yet: a packet now would have holes. */
export class EvidenceNotReadyError extends ApiError {
  readonly code = 'evidence_not_ready';
  constructor(detail: string) {
    super(detail);
    this.name = 'EvidenceNotReadyError';
  }
}

/** The steps of docs/log.md, for whoever opens the file years from now with nothing else at hand. */
export const HOW_TO_CHECK = [
  'How to check this packet, offline, with nothing but this file:',
  '1. Each event: its "hash" is the SHA-256 (hex) of the RFC 8785 canonical JSON of the event without its "hash" field.',
  '2. The chain: the events run versions 1, 2, 3 … without a gap, and each "prevHash" is the previous event\'s "hash" (64 zeros for version 1).',
  '3. Each proof: the leaf hash is SHA-256(0x00 || the 32 bytes of the event\'s hash); with the proof\'s "hashes" it must lead, at its "index", to the root hash in "checkpoint" for the tree size in "checkpoint" (RFC 9162 §2.1.3.2; inner nodes SHA-256(0x01 || left || right)).',
  '4. The checkpoint is a C2SP signed note: its first signature line must verify with "logKey" (Ed25519, signed-note type 0x01). Compare logKey with the key the ledger publishes at GET /log/key and elsewhere.',
  '5. Witnesses: each line of "witnessKeys" is a witness\'s key (cosignature/v1, type 0x04); a cosignature verifies over "cosignature/v1\\ntime <its timestamp>\\n" and the checkpoint\'s text. Compare these keys with the ones the witnesses publish themselves.',
  'Personal data stays sealed as stored: an erased subject stays erased, and the packet still checks.',
  'Tools: `npx ledger verify-evidence FILE`, or the ledger web application\'s page "Check evidence" (/app/evidence), which sends nothing anywhere.',
].join('\n');

export interface EvidenceProof {
  readonly eventId: string;
  readonly index: number;
  readonly hashes: string[];
}

export interface EvidencePacket {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly caseId: string;
  readonly createdAt: string;
  readonly checkpoint: string;
  readonly logKey: string;
  readonly witnessKeys: string[];
  readonly events: StoredEvent[];
  readonly proofs: EvidenceProof[];
  readonly howToCheck: string;
}

/** Proofs asked at once: a case of hundreds of events is proved in a few rounds, not hundreds of reads at once. */
const PROOFS_AT_ONCE = 16;

const NOT_YET = 'not yet in the log; try again in a minute';

/** The keys of the witnesses whose cosignature the checkpoint carries and verifies, as the log publishes them. */
function cosignersOf(checkpoint: string, witnessKeys: readonly string[]): string[] {
  const note = parseNote(checkpoint);
  const parsed = witnessKeys.flatMap((text): Array<[string, VerifierKey]> => {
    try {
      return [[text, parseVerifierKey(text)]];
    } catch {
      return [];
    }
  });
  const verified = new Set(
    verifyNote(
      note,
      parsed.map(([, key]) => key),
    ).verified,
  );
  return parsed.filter(([, key]) => verified.has(key)).map(([text]) => text);
}

async function storedEvents(deps: Pick<ApiDependencies, 'ledger'>, caseId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const page of deps.ledger.pages(caseId)) events.push(...page);
  if (events.length === 0) {
    if ((await deps.ledger.head(caseId)) === undefined) throw new CaseNotFoundError(caseId);
  }
  return events;
}

/**
 * The evidence packet of a case (docs/log.md): its events exactly as stored (subjects and free texts sealed,
 * so what is erased stays erased), each one's inclusion proof in the newest published checkpoint, that
 * checkpoint with its cosignatures, and the keys to check them. All the proofs are at the checkpoint's own
 * size, asked for explicitly, so a checkpoint published while the packet is made cannot mix two trees.
 *
 * @throws {CaseNotFoundError} no such case.
 * @throws {EvidenceNotReadyError} an event of the case is not yet in the published log (never a packet with holes).
 */
export async function caseEvidence(
  deps: Pick<ApiDependencies, 'ledger' | 'log' | 'clock'>,
  caseId: string,
): Promise<{ packet: EvidencePacket; size: number }> {
  const log: LogReads | undefined = deps.log;
  if (log === undefined) throw new UnavailableError(['the transparency log']);
  const events = await storedEvents(deps, caseId);
  const checkpoint = await log.checkpoint();
  if (checkpoint === undefined) {
    throw new EvidenceNotReadyError(
      `The events of case ${caseId} are ${NOT_YET}: it has published no checkpoint yet.`,
    );
  }
  const { size } = parseCheckpoint(parseNote(checkpoint).text);
  const proofs = await mapInBatches(events, PROOFS_AT_ONCE, async (event): Promise<EvidenceProof> => {
    let answer: Awaited<ReturnType<LogReads['inclusion']>>;
    try {
      answer = await log.inclusion(event.eventId, size);
    } catch (error) {
      if (!(error instanceof LogEventNotFoundError)) throw error;
      throw new EvidenceNotReadyError(
        `Version ${event.version} of case ${caseId} is ${NOT_YET} (the log's newest checkpoint is of size ${size}).`,
      );
    }
    return {
      eventId: answer.eventId,
      index: answer.index,
      hashes: answer.hashes.map((hash) => Buffer.from(hash).toString('base64')),
    };
  });
  const [logKey = '', ...witnessKeys] = (await log.keys()).split('\n').filter((line) => line.length > 0);
  return {
    size,
    packet: {
      format: EVIDENCE_FORMAT,
      caseId,
      createdAt: deps.clock().toISOString(),
      checkpoint,
      logKey,
      witnessKeys: cosignersOf(checkpoint, witnessKeys),
      events,
      proofs,
      howToCheck: HOW_TO_CHECK,
    },
  };
}
