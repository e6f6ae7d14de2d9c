/**
 * Standard base64 with padding (RFC 4648 §4), decoded strictly. Lenient decoders skip characters they do not
 * know and ignore stray bits, so two different strings could name the same signature or hash; here a string
 * decodes only if encoding its bytes gives that string back. atob and btoa, not Buffer, so that the checkpoint
 * reader runs in the browser too (the evidence check of the web application).
 */

const SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices, so a long input never passes more arguments to fromCharCode than a call can take.
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}

/** The bytes of a canonical base64 string, or undefined when it is not one. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!SHAPE.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return encodeBase64(bytes) === text ? bytes : undefined;
}
