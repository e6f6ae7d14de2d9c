import { NoteFormatError } from './note-format-error.ts';

// Unicode spaces (White_Space) and the plus that separates a verifier key's parts.
const FORBIDDEN = /[\p{White_Space}+]/u;

/**
 * Where `text` holds what no signed note may: an ASCII control character other than a newline, or a lone
 * surrogate (a string with one has no UTF-8 encoding, so its bytes on the wire would not be what was signed).
 */
function firstForbidden(text: string): { index: number; what: string } | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 && code !== 0x0a) {
      return {
        index,
        what: `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
      };
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff)
      return { index, what: 'a lone surrogate, which is not valid UTF-8' };
  }
  return undefined;
}

/** Whether a key name is one signed-note allows: non-empty, no Unicode space, no plus. */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !FORBIDDEN.test(name) && firstForbidden(name) === undefined;
}

/** @throws {NoteFormatError} when `name` is not a key name signed-note allows. */
export function checkKeyName(name: string): void {
  if (!isKeyName(name)) {
    throw new NoteFormatError(
      `the key name ${JSON.stringify(name.slice(0, 200))} is not allowed: it must be non-empty, without spaces, plus signs or control characters`,
    );
  }
}

/** @throws {NoteFormatError} when `text` holds a control character other than a newline, or a lone surrogate. */
export function checkNoteCharacters(text: string, what: string): void {
  const found = firstForbidden(text);
  if (found) {
    throw new NoteFormatError(
      `${what} holds ${found.what} at position ${found.index}; only newlines are allowed`,
    );
  }
}
