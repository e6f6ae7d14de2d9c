import { checkNoteCharacters } from './key-name.ts';
import { NoteFormatError } from './note-format-error.ts';
import { decodeBase64, encodeBase64 } from './strict-base64.ts';

/**
 * Checkpoints (C2SP tlog-checkpoint): the note text `<origin>\n<size>\n<base64 root>\n`, then optional extension
 * lines. The ledger writes none (docs/log.md) but reads them, since a witness may be shown another log's.
 */
export interface Checkpoint {
  readonly origin: string;
  /** The number of leaves in the tree. */
  readonly size: number;
  /** The 32-byte RFC 6962 root hash of the tree at `size`. */
  readonly root: Uint8Array;
  readonly extensions?: readonly string[];
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * A size line: ASCII decimal, no leading zeros, at most 2^53 - 1 so it stays exact as a number.
 *
 * @returns undefined when `text` is not one.
 */
export function parseDecimal(text: string): number | undefined {
  if (text.length > 16 || !DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function checkLine(line: string, what: string): void {
  if (line.length === 0) throw new NoteFormatError(`the checkpoint's ${what} is empty`);
  if (line.includes('\n')) throw new NoteFormatError(`the checkpoint's ${what} holds a newline`);
  checkNoteCharacters(line, `the checkpoint's ${what}`);
}

/**
 * The note text of a checkpoint, for signing.
 *
 * @throws {NoteFormatError} for an empty origin or extension line, a size that is not a whole number, a root
 * that is not 32 bytes.
 */
export function checkpointText(checkpoint: Checkpoint): string {
  checkLine(checkpoint.origin, 'origin');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) {
    throw new NoteFormatError(`a checkpoint's size is a whole number, not ${checkpoint.size}`);
  }
  if (checkpoint.root.length !== 32) {
    throw new NoteFormatError(`a checkpoint's root hash is 32 bytes, not ${checkpoint.root.length}`);
  }
  const extensions = checkpoint.extensions ?? [];
  for (const line of extensions) checkLine(line, 'extension line');
  return [checkpoint.origin, String(checkpoint.size), encodeBase64(checkpoint.root), ...extensions]
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * Reads the note text of a checkpoint (not the signed note: {@link parseNote} splits that first).
 *
 * @throws {NoteFormatError} saying which line is off: fewer than three lines, an empty origin or extension
 * line, a size with leading zeros or not a number, a root hash that is not 32 bytes of base64.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (text.length > 1024 * 1024) throw new NoteFormatError('a checkpoint is at most 1 MiB');
  if (!text.endsWith('\n')) throw new NoteFormatError('a checkpoint text must end in a newline');
  checkNoteCharacters(text, 'the checkpoint');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) {
    throw new NoteFormatError('a checkpoint has at least three lines: origin, tree size and root hash');
  }
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new NoteFormatError("the checkpoint's origin is empty");
  const size = parseDecimal(sizeLine);
  if (size === undefined) {
    throw new NoteFormatError(
      `the checkpoint's tree size ${JSON.stringify(sizeLine.slice(0, 40))} is not a decimal number without leading zeros`,
    );
  }
  const root = decodeBase64(rootLine);
  if (root === undefined || root.length !== 32) {
    throw new NoteFormatError("the checkpoint's root hash is not 32 bytes of standard base64");
  }
  if (extensions.some((line) => line.length === 0)) {
    throw new NoteFormatError("a checkpoint's extension lines must not be empty");
  }
  return extensions.length > 0 ? { origin, size, root, extensions } : { origin, size, root };
}
