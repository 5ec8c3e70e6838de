/**
 * Building the {@link Notifier} from configuration. Without a `routing` tree the legacy
 * behaviour is kept: every receiver gets every notifying alert change at once (one group per
 * series, no wait), subject to its `minSeverity`.
 */
import type { ReceiverConfig } from '../receivers/config.js';
import type { Silence } from '../silences/silence.js';
import { Notifier } from './notifier.js';
import { type RouteTreeConfig, routeTreeSchema } from './schema.js';
import { buildRouteTree } from './tree.js';

/**
 * The tree used when none is configured: a root whose children send to every receiver
 * (`continue: true`), `groupBy: ['...']`, no group wait or interval, default repeat (4 h).
 * @returns null when there are no receivers
 */
export function legacyRouteTree(receivers: readonly Pick<ReceiverConfig, 'name'>[]): RouteTreeConfig | null {
  const [first] = receivers;
  if (!first) return null;
  return routeTreeSchema.parse({
    receiver: first.name,
    groupBy: ['...'],
    groupWaitMs: 0,
    groupIntervalMs: 0,
    routes: receivers.map((r) => ({ receiver: r.name, continue: true })),
  });
}

/** Options of {@link createNotifier}. */
export interface CreateNotifierOptions {
  readonly receivers: readonly ReceiverConfig[];
  /** `config.alerting.routing`; the legacy tree when undefined. */
  readonly routing?: RouteTreeConfig | undefined;
  /** Dashboard base URL for links. */
  readonly publicUrl: string;
  /** Silences from the configuration (more are added at run time through `setSilences`). */
  readonly silences?: readonly Silence[] | undefined;
  /** Inhibition of lower alerts by a critical one on the same service (default true). */
  readonly inhibit?: boolean | undefined;
  /** Silence expiry reminder lead time, ms (default 1 h; 0 = none). */
  readonly silenceReminderMs?: number | undefined;
}

/**
 * The notifier for a configuration, or null when no receiver is configured (nothing to do,
 * and no state to keep).
 */
export function createNotifier(options: CreateNotifierOptions): Notifier | null {
  const config = options.routing ?? legacyRouteTree(options.receivers);
  if (!config || options.receivers.length === 0) return null;
  const notifier = new Notifier({
    tree: buildRouteTree(config),
    receivers: options.receivers.map((r) => ({
      name: r.name,
      minSeverity: r.minSeverity,
      perAlert: r.type === 'pagerduty',
    })),
    publicUrl: options.publicUrl,
    inhibit: options.inhibit ?? true,
    silenceReminderMs: options.silenceReminderMs ?? 3_600_000,
  });
  notifier.setSilences(options.silences ?? []);
  return notifier;
}
