function base64UrlJson(part: string): unknown {
  const padded = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** A JWT's claims as written, unchecked (the API checks the signature); `undefined` when it is no JWT. */
export function tokenClaims(token: string): Record<string, unknown> | undefined {
  try {
    const claims = base64UrlJson(token.split('.')[1] ?? '');
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
