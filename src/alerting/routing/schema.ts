/**
 * Configuration schema of the routing tree (Alertmanager's `route`), validated by zod with
 * defaults on the root; children leave a field out to inherit it from their parent.
 * Durations are milliseconds. Unknown keys are rejected.
 *
 * @see https://prometheus.io/docs/alerting/latest/configuration/#route
 */
import { z } from 'zod';
import { MatcherSyntaxError, parseMatcher } from './matchers.js';

/** A matcher in Alertmanager syntax, checked to parse (and its regex to compile). */
export const matcherStringSchema = z.string().superRefine((text, ctx) => {
  try {
    parseMatcher(text);
  } catch (err) {
    if (!(err instanceof MatcherSyntaxError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
});

const duration = z.number().int().min(0);
/** `['...']` groups by every label (each alert its own group). */
const groupBy = z.array(z.string().min(1));

/** Fields of a route, each optional (inherited from the parent when left out). */
export interface ChildRouteConfig {
  receiver?: string | undefined;
  matchers: string[];
  continue: boolean;
  groupBy?: string[] | undefined;
  groupWaitMs?: number | undefined;
  groupIntervalMs?: number | undefined;
  repeatIntervalMs?: number | undefined;
  routes: ChildRouteConfig[];
}

/** A child route: matchers, `continue`, and overrides of the inherited fields. */
export const childRouteSchema: z.ZodType<ChildRouteConfig, unknown> = z.lazy(() =>
  z
    .object({
      receiver: z.string().min(1).optional(),
      /** All must hold for the route to match, e.g. `['service="api"', 'severity=~"critical|high"']`. */
      matchers: z.array(matcherStringSchema).default([]),
      /** Keep looking at later siblings after this route matched. */
      continue: z.boolean().default(false),
      groupBy: groupBy.optional(),
      groupWaitMs: duration.optional(),
      groupIntervalMs: duration.optional(),
      repeatIntervalMs: duration.optional(),
      routes: z.array(childRouteSchema).default([]),
    })
    .strict(),
);

/** Default timings of the root route, ms (Alertmanager's defaults). */
export const ROUTE_DEFAULTS = {
  /** One group per incident: alerts firing together on a service or call chain share notifications. */
  groupBy: ['incident'] as string[],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
} as const;

/** The root route: a receiver is required, no matchers (it matches every alert). */
export const routeTreeSchema = z
  .object({
    receiver: z.string().min(1),
    /** Labels whose values split alerts into groups; `[]` one group, `['...']` one per alert; default `['incident']`. */
    groupBy: groupBy.default(() => [...ROUTE_DEFAULTS.groupBy]),
    /** Wait before the first notification of a new group, ms (default 30 s). */
    groupWaitMs: duration.default(ROUTE_DEFAULTS.groupWaitMs),
    /** Least time between two notifications of a changed group, ms (default 5 min). */
    groupIntervalMs: duration.default(ROUTE_DEFAULTS.groupIntervalMs),
    /** Re-notify an unchanged group with firing alerts after this long, ms (default 4 h). */
    repeatIntervalMs: duration.min(1).default(ROUTE_DEFAULTS.repeatIntervalMs),
    routes: z.array(childRouteSchema).default([]),
  })
  .strict();

/** Parsed routing tree configuration (root with defaults applied). */
export type RouteTreeConfig = z.infer<typeof routeTreeSchema>;
