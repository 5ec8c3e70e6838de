/** What every page module exports: a mount function returning an unmount handle. */
import type { LiveFeed } from '../lib/live.js';
import type { Route } from '../lib/router.js';

/** Passed to every page when it mounts. */
export interface PageContext {
  readonly route: Route;
  readonly live: LiveFeed;
}

/** A mounted page. */
export interface Page {
  /** Stops timers, feeds and charts. */
  unmount(): void;
}

/** Mounts a page into `root` (which it owns until unmount). */
export type MountPage = (root: HTMLElement, ctx: PageContext) => Page;

/** Collects teardown functions so a page can undo everything it set up. */
export class Disposer {
  private readonly fns: (() => void)[] = [];
  /** Registers `fn` to run at dispose; returns it. */
  add<T extends () => unknown>(fn: T): T {
    this.fns.push(fn);
    return fn;
  }
  /** Runs every registered function, newest first. */
  dispose(): void {
    for (const fn of this.fns.splice(0).reverse()) fn();
  }
}
