/**
 * Where to go after signing in: only a path inside the application, never another site. `//host` and `/\host`
 * read as paths but browsers take them for another origin, so they lead to the board instead.
 */
export function nextPath(next: string | null | undefined): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
