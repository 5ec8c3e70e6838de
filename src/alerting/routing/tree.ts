/**
 * The resolved routing tree: every route carries its effective receiver, grouping and timings
 * (inherited from its parent when not set), compiled matchers and a stable id (its path).
 */

import { type Matcher, parseMatcher } from './matchers.js';
import type { ChildRouteConfig, RouteTreeConfig } from './schema.js';

/** A route with every field resolved. */
export interface Route {
  /** Path from the root: `0` is the root, `0.2.1` the second child of its third child. */
  readonly id: string;
  readonly receiver: string;
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  /** Label names to group by, or `'all'` for `['...']` (each label set its own group). */
  readonly groupBy: readonly string[] | 'all';
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly routes: readonly Route[];
}

function groupByOf(list: readonly string[]): readonly string[] | 'all' {
  return list.includes('...') ? 'all' : [...new Set(list)].sort();
}

function resolveChild(config: ChildRouteConfig, parent: Route, index: number): Route {
  const id = `${parent.id}.${index}`;
  const route: Route = {
    id,
    receiver: config.receiver ?? parent.receiver,
    matchers: config.matchers.map(parseMatcher),
    continue: config.continue,
    groupBy: config.groupBy ? groupByOf(config.groupBy) : parent.groupBy,
    groupWaitMs: config.groupWaitMs ?? parent.groupWaitMs,
    groupIntervalMs: config.groupIntervalMs ?? parent.groupIntervalMs,
    repeatIntervalMs: config.repeatIntervalMs ?? parent.repeatIntervalMs,
    routes: [],
  };
  return { ...route, routes: config.routes.map((c, i) => resolveChild(c, route, i)) };
}

/**
 * Resolves a parsed tree (see `routeTreeSchema`) into {@link Route}s with inheritance applied.
 * @throws {MatcherSyntaxError} when a matcher does not parse (not after schema validation)
 */
export function buildRouteTree(config: RouteTreeConfig): Route {
  const root: Route = {
    id: '0',
    receiver: config.receiver,
    matchers: [],
    continue: false,
    groupBy: groupByOf(config.groupBy),
    groupWaitMs: config.groupWaitMs,
    groupIntervalMs: config.groupIntervalMs,
    repeatIntervalMs: config.repeatIntervalMs,
    routes: [],
  };
  return { ...root, routes: config.routes.map((c, i) => resolveChild(c, root, i)) };
}

/** Every route of the tree, depth first. */
export function flattenRoutes(root: Route): Route[] {
  return [root, ...root.routes.flatMap(flattenRoutes)];
}

/**
 * Validation issues for receivers named by routes but not configured.
 * @returns one issue per unknown name, with its path in the tree config
 */
export function unknownReceivers(
  config: RouteTreeConfig,
  known: ReadonlySet<string>,
): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  const visit = (
    r: { receiver?: string | undefined; routes: ChildRouteConfig[] },
    path: Array<string | number>,
  ) => {
    if (r.receiver !== undefined && !known.has(r.receiver)) {
      out.push({ path: [...path, 'receiver'], message: `unknown receiver "${r.receiver}"` });
    }
    for (const [i, c] of r.routes.entries()) visit(c, [...path, 'routes', i]);
  };
  visit(config, []);
  return out;
}
