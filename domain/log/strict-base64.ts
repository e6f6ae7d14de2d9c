/**
 * Standard base64 with padding (RFC 4648 §4), decoded strictly. Node's decoder skips characters it does not
 * know and ignores stray bits, so two different strings could name the same signature or hash; here a string
 * decodes only if encoding its bytes gives that string back.
 */

const SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of a canonical base64 string, or undefined when it is not one. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!SHAPE.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
