/**
 * Where to go after signing in: only a path inside the application, never another site. `//host` and `/\host`
 * read as paths but browsers take them for another origin, so they lead to the board instead.
 */
export function nextPath(next: string | null | undefined): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** The path of the page the person is on, inside the application (without `/app`), to come back to. */
export function currentAppPath(): string {
  return window.location.pathname.replace(/^\/app/, '') + window.location.search;
}
