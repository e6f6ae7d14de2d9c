/**
 * A signed note, verifier key or checkpoint that does not follow its C2SP format. The message is in plain words
 * and names what is off, so an operator pasting a key or a witness answering a malformed request can say which.
 * A module of its own, re-exported by signed-note.ts, so that verifier-key.ts can throw it without an import cycle.
 */
export class NoteFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteFormatError';
  }
}
