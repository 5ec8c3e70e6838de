/**
 * Route matching with Alertmanager semantics: starting at the root (which matches everything),
 * the children are tried in order; a matching child is descended into and, unless it sets
 * `continue`, ends the search among its siblings. A matching route none of whose children
 * match is a result; so is the root when no child matches.
 *
 * @see https://prometheus.io/docs/alerting/latest/configuration/#route
 */
import type { Labels } from '../../model/types.js';
import { allMatch } from './matchers.js';
import type { Route } from './tree.js';

function visit(route: Route, labels: Labels): Route[] {
  if (!allMatch(route.matchers, labels)) return [];
  const out: Route[] = [];
  for (const child of route.routes) {
    const found = visit(child, labels);
    out.push(...found);
    if (found.length > 0 && !child.continue) break;
  }
  return out.length > 0 ? out : [route];
}

/**
 * The routes an alert with these labels is sent through, in tree order; never empty.
 * Pure: no state, no clock. Cost O(routes × matchers).
 * @example matchRoutes(tree, {service: 'api', severity: 'critical'}).map((r) => r.receiver) // ['pager']
 */
export function matchRoutes(tree: Route, labels: Labels): Route[] {
  return visit(tree, labels);
}
