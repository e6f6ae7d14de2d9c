/** The path of the page the person is on, inside the application (without `/app`), to come back to. */
export function currentAppPath(): string {
  return window.location.pathname.replace(/^\/app/, '') + window.location.search;
}
