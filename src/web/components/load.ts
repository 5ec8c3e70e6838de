/**
 * Loading data into the page: only the answer to the latest request is shown (a slow older
 * answer never overwrites a newer one), and a failure is shown where the data would be, as
 * the error's message (role=alert). Nothing is swallowed: every rejection reaches `fail`.
 */
import { type Child, debounce, h, replace } from '../lib/dom.js';
import type { LiveFeed, LiveMessage } from '../lib/live.js';
import type { Disposer } from '../pages/page.js';
import { errorBox } from './widgets.js';

/** Quiet time after the last matching live message before data is fetched again, ms. */
const LIVE_RELOAD_MS = 300;

/** The placeholder shown where data will be once loaded: `p.muted` "Loading…". */
export function loading(): HTMLElement {
  return h('p', { class: 'muted' }, 'Loading…');
}

/**
 * Wraps `fetch` so that, of overlapping calls, only the latest one's outcome is used.
 * @param fetch - starts a request.
 * @param show - gets the answer of the latest call; an error it throws goes to `fail`.
 * @param fail - gets the error of the latest call.
 * @returns a function that fetches and resolves once `show` or `fail` ran (or the answer was
 *   dropped as stale); it never rejects.
 * @example const load = latest(() => api.silences(), (r) => render(r.items), (e) => replace(body, errorBox(e)));
 */
export function latest<T>(
  fetch: () => Promise<T>,
  show: (value: T) => void,
  fail: (err: unknown) => void,
): () => Promise<void> {
  let seq = 0;
  return async () => {
    const mine = ++seq;
    try {
      const value = await fetch();
      if (mine === seq) show(value);
    } catch (err) {
      if (mine === seq) fail(err);
    }
  };
}

/**
 * Fills `target` once: with `render(answer)` when `request` resolves, with the error
 * message when it rejects. What `target` holds meanwhile (e.g. "Loading…") stays until then.
 * @param target - the element whose children are replaced.
 * @param request - the pending request.
 * @param render - turns the answer into the children of `target`.
 */
export function loadInto<T>(target: Element, request: Promise<T>, render: (value: T) => Child): void {
  request.then(
    (value) => replace(target, render(value)),
    (err: unknown) => replace(target, errorBox(err)),
  );
}

/**
 * Keeps a page's data current from the live feed: calls `load` (debounced) after the live
 * messages `when` accepts, and at once after the feed reconnects (what it missed is fetched
 * over REST). Both stop when `d` is disposed.
 * @param d - the page's disposer.
 * @param live - the live feed.
 * @param load - fetches and shows the page's data.
 * @param when - the messages that may change the data shown (none when omitted: only reconnects).
 */
export function reloadOnLive(
  d: Disposer,
  live: LiveFeed,
  load: () => Promise<void>,
  when?: (m: LiveMessage) => boolean,
): void {
  if (when) {
    const soon = debounce(() => void load(), LIVE_RELOAD_MS);
    d.add(() => soon.cancel());
    d.add(live.onMessage((m) => when(m) && soon()));
  }
  d.add(live.onResync(() => void load()));
}
