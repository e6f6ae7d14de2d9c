import { parseCheckpoint, parseDecimal } from './checkpoint.ts';
import { NoteFormatError } from './note-format-error.ts';
import { MAX_NOTE_BYTES, parseNote } from './signed-note.ts';
import { decodeBase64, encodeBase64 } from './strict-base64.ts';

/**
 * The bodies of C2SP tlog-witness `add-checkpoint`: the request (`old <size>`, consistency proof lines, a blank
 * line, the signed checkpoint) and the `text/x.tlog.size` answer of a 409.
 */

/** A request body or a 409 body that does not follow tlog-witness: a witness answers it 400. */
export class WitnessRequestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WitnessRequestError';
  }
}

export interface AddCheckpoint {
  /** The size of the checkpoint the witness is believed to hold (0 for none). */
  readonly oldSize: number;
  /** The RFC 6962 consistency proof from `oldSize` to the checkpoint's size, 32-byte hashes. */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note. */
  readonly checkpoint: string;
}

/** The most proof lines a client may send (tlog-witness): a proof in a tree of 2^63 leaves needs no more. */
export const MAX_PROOF_LINES = 63;
/** The longest body read: a checkpoint note and the longest proof, nothing near a flood. */
export const MAX_ADD_CHECKPOINT_BYTES = MAX_NOTE_BYTES + 64 * 64;

/** The request body. @throws {WitnessRequestError} when the parts would not be read back as given. */
export function formatAddCheckpoint(request: AddCheckpoint): string {
  if (!Number.isSafeInteger(request.oldSize) || request.oldSize < 0) {
    throw new WitnessRequestError(`the old size is a whole number, not ${request.oldSize}`);
  }
  if (request.proof.length > MAX_PROOF_LINES) {
    throw new WitnessRequestError(`a consistency proof has at most ${MAX_PROOF_LINES} hashes`);
  }
  if (request.proof.some((hash) => hash.length !== 32)) {
    throw new WitnessRequestError('every hash of a consistency proof is 32 bytes');
  }
  const lines = request.proof.map((hash) => `${encodeBase64(hash)}\n`).join('');
  return `old ${request.oldSize}\n${lines}\n${request.checkpoint}`;
}

/**
 * Reads an `add-checkpoint` request body. The checkpoint must be a signed note whose text is a checkpoint with a
 * size at or above the old size; whether its signatures verify is for the witness to check.
 *
 * @throws {WitnessRequestError} saying what is off (a 400).
 */
export function parseAddCheckpoint(body: string): AddCheckpoint {
  if (body.length > MAX_ADD_CHECKPOINT_BYTES) {
    throw new WitnessRequestError(`an add-checkpoint body is at most ${MAX_ADD_CHECKPOINT_BYTES} bytes`);
  }
  let at = body.indexOf('\n');
  if (at < 0) throw new WitnessRequestError('the body must start with a line "old <size>"');
  const oldLine = body.slice(0, at);
  const oldSize = oldLine.startsWith('old ') ? parseDecimal(oldLine.slice(4)) : undefined;
  if (oldSize === undefined) {
    throw new WitnessRequestError(
      'the first line must be "old <size>", the size in decimal without leading zeros',
    );
  }
  const proof: Uint8Array[] = [];
  for (;;) {
    const start = at + 1;
    at = body.indexOf('\n', start);
    if (at < 0)
      throw new WitnessRequestError('the proof lines must end with an empty line before the checkpoint');
    const line = body.slice(start, at);
    if (line.length === 0) break;
    if (proof.length === MAX_PROOF_LINES) {
      throw new WitnessRequestError(`a consistency proof has at most ${MAX_PROOF_LINES} lines`);
    }
    const hash = decodeBase64(line);
    if (hash === undefined || hash.length !== 32) {
      throw new WitnessRequestError(
        `proof line ${proof.length + 1} is not a 32-byte hash in standard base64`,
      );
    }
    proof.push(hash);
  }
  const checkpoint = body.slice(at + 1);
  let size: number;
  try {
    size = parseCheckpoint(parseNote(checkpoint).text).size;
  } catch (error) {
    if (!(error instanceof NoteFormatError)) throw error;
    throw new WitnessRequestError(`the checkpoint is malformed: ${error.message}`, { cause: error });
  }
  if (oldSize > size) {
    throw new WitnessRequestError(`the old size ${oldSize} is above the checkpoint's size ${size}`);
  }
  return { oldSize, proof, checkpoint };
}

/**
 * Reads a witness's 409 answer (`text/x.tlog.size`): the size it holds in decimal and a newline.
 *
 * @throws {WitnessRequestError} when the body is anything else.
 */
export function parseTreeSizeBody(body: string): number {
  const size = body.length <= 17 && body.endsWith('\n') ? parseDecimal(body.slice(0, -1)) : undefined;
  if (size === undefined) {
    throw new WitnessRequestError(
      'a tree size answer is a decimal number without leading zeros and a newline',
    );
  }
  return size;
}
