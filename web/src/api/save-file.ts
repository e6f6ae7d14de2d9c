/**
 * Hands a file made in memory to the browser to save: what the API answers needs a bearer token, so a plain
 * link to it cannot work.
 */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Let go of it once the browser has begun to save it: revoked at once, the download can be cancelled.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
