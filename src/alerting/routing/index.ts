/**
 * Notification routing: Alertmanager-style routing tree, grouping state machine, and the
 * notifier that turns alert changes into deliveries deterministically.
 */

export {
  formatLabels,
  Grouper,
  type GrouperSnapshot,
  type GroupMember,
  type GroupNotification,
  groupLabelsOf,
  type MuteFn,
} from './grouping.js';
export { alertLabels, FIXED_LABELS } from './labels.js';
export { matchRoutes } from './match.js';
export {
  allMatch,
  compileMatcher,
  formatMatcher,
  type Matcher,
  MatcherSyntaxError,
  type MatchOp,
  matcherMatches,
  parseMatcher,
} from './matchers.js';
export {
  type AnomalyValues,
  Notifier,
  type NotifierOptions,
  type NotifierReceiver,
  type NotifierSnapshot,
} from './notifier.js';
export {
  type ChildRouteConfig,
  childRouteSchema,
  matcherStringSchema,
  ROUTE_DEFAULTS,
  type RouteTreeConfig,
  routeTreeSchema,
} from './schema.js';
export { type CreateNotifierOptions, createNotifier, legacyRouteTree } from './setup.js';
export { buildRouteTree, flattenRoutes, type Route, unknownReceivers } from './tree.js';
