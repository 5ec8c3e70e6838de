/**
 * Hash routing: every page state lives in the URL as `#/<page>/<id>?<query>`, so any
 * view is a deep link and the server only ever serves `/`. Navigation (`go`) pushes a
 * history entry and remounts the page; in-page state changes (`replaceQuery`) rewrite
 * the URL without a remount and without a history entry.
 */

/** A parsed location. */
export interface Route {
  /** Path segments after `#/`, decoded, e.g. `['alerts', 'a-17']`. */
  readonly path: readonly string[];
  readonly query: URLSearchParams;
}

/** Parses `location.hash` (or the given hash). */
export function parseHash(hash = location.hash): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const pathPart = q === -1 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
  const path = pathPart
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { path, query };
}

/** Builds a hash link; empty and undefined query values are omitted. */
export function href(
  path: readonly string[],
  query?: Readonly<Record<string, string | number | undefined>>,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `#/${path.map(encodeURIComponent).join('/')}${qs === '' ? '' : `?${qs}`}`;
}

/** Navigates to a hash link (history entry, page remount). */
export function go(link: string): void {
  location.hash = link.replace(/^#/, '');
}

/** Rewrites the current URL's query in place (no remount, no history entry). */
export function replaceQuery(query: Readonly<Record<string, string | number | undefined>>): void {
  const { path } = parseHash();
  history.replaceState(history.state, '', href(path, query));
}

/**
 * The page to return to after sign-in, from the sign-in page's `next` query value: a
 * dashboard hash link (`#/…`), never the sign-in page itself; `#/overview` otherwise.
 */
export function loginNext(next: string | null): string {
  if (next === null || !next.startsWith('#/') || /^#\/login(?:[/?]|$)/.test(next)) return '#/overview';
  return next;
}
