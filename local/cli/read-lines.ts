import { LocalError } from '../local-error.ts';
/** One line of a text file, numbered from 1, without its line ending. */
export interface NumberedLine {
  readonly number: number;
  readonly text: string;
}

/** A line of an input file that cannot be read as text: too long, or not UTF-8. */
export class UnreadableLineError extends LocalError {
  readonly code = 'line_unreadable';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'UnreadableLineError';
  }
}

/**
 * The lines of a byte stream, one at a time. Unlike `node:readline` it bounds a line's length — a file without
 * line breaks must fail fast, not fill the memory — and refuses bytes that are not UTF-8 instead of replacing
 * them, since a replaced character would change an event's hash. Accepts `\n` and `\r\n`; a leading BOM is
 * dropped.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<NumberedLine> {
  // `ignoreBOM: true` keeps a BOM in the text: only the file's first one is dropped, below.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pieces: Buffer[] = [];
  let pending = 0;
  let number = 0;
  const finish = (last: Buffer): NumberedLine => {
    number += 1;
    const bytes = pieces.length === 0 ? last : Buffer.concat([...pieces, last]);
    pieces = [];
    pending = 0;
    const end = bytes.at(-1) === 0x0d ? bytes.length - 1 : bytes.length;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(0, end));
    } catch {
      throw new UnreadableLineError(number, 'not UTF-8 text');
    }
    return { number, text: number === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text };
  };
  for await (const chunk of input) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (;;) {
      const newline = buffer.indexOf(0x0a);
      const length = newline === -1 ? buffer.length : newline;
      if (pending + length > maxLineBytes) {
        throw new UnreadableLineError(number + 1, `longer than ${maxLineBytes} bytes`);
      }
      if (newline === -1) {
        if (buffer.length > 0) pieces.push(buffer);
        pending += buffer.length;
        break;
      }
      yield finish(buffer.subarray(0, newline));
      buffer = buffer.subarray(newline + 1);
    }
  }
  if (pending > 0) yield finish(Buffer.alloc(0));
}
