import { CallGraph, type CorrelatableAnomaly } from './call-graph.js';

/** Options of {@link AnomalyCorrelator}. */
export interface CorrelatorOptions {
  /** Anomalies at most this far apart (event time, ms) can be linked; default 120 000 (2 min). */
  readonly windowMs?: number;
  /** Known caller → callee pairs, e.g. `[['gateway', 'checkout']]`. */
  readonly calls?: ReadonlyArray<readonly [string, string]>;
  /** Services linked when one reaches the other in at most this many call hops; default 3. */
  readonly maxHops?: number;
  /** Groups kept (oldest by last anomaly evicted first), default 1000. */
  readonly maxGroups?: number;
  /** Member ids listed per group (the count goes on), default 200. */
  readonly maxMembers?: number;
}

/** A group of correlated anomalies. */
export interface CorrelationGroup {
  /** `cg-<id of the first anomaly that founded it>`; stable under replay. */
  readonly id: string;
  /** Event time of the earliest and latest member, Unix ms. */
  readonly first: number;
  readonly last: number;
  /** Services involved, sorted. */
  readonly services: readonly string[];
  /** Member anomaly ids in arrival order (first `maxMembers`). */
  readonly members: readonly string[];
  readonly memberCount: number;
}

/** JSON state of an {@link AnomalyCorrelator} (options are not part of it). */
export interface CorrelatorState {
  readonly watermark: number | null;
  readonly edges: [string, string][];
  readonly groups: ReadonlyArray<{
    readonly id: string;
    readonly first: number;
    readonly last: number;
    readonly spans: ReadonlyArray<readonly [string, number, number]>;
    readonly members: readonly string[];
    readonly memberCount: number;
  }>;
  readonly aliases: ReadonlyArray<readonly [string, string]>;
}

interface Group {
  id: string;
  first: number;
  last: number;
  spans: Map<string, { first: number; last: number }>;
  members: string[];
  memberCount: number;
}

/**
 * Links anomalies that are likely one incident into correlation groups.
 *
 * An anomaly joins a group when, within `windowMs` of a member of that group, it belongs
 * to the same service or to a service related by calls (one reaches the other along
 * caller → callee edges in ≤ `maxHops` hops; siblings that share only a caller are not
 * linked). When it links several groups they merge into the one that started first
 * (ids of merged groups keep resolving through {@link AnomalyCorrelator.resolve}). Call
 * edges come from the `calls` option and from each anomaly: label `upstream=<caller>`,
 * label `calls=<callee>[,<callee>]`, or an endpoint named `<callee>:<METHOD>:<path>` (see
 * {@link CallGraph}). This is single-linkage clustering (R. Sibson, "SLINK: an optimally
 * efficient algorithm for the single-link cluster method", The Computer Journal 16(1),
 * 1973) in time over the call graph, the grouping step of alert-correlation systems
 * (e.g. J. Lin, P. Chen, Z. Zheng, "Microscope: Pinpoint Performance Issues with Causal
 * Graphs in Micro-service Environments", ICSOC 2018). Snapshot: `toJSON()`/`fromJSON()`.
 *
 * Deterministic for a given input order. Bounded: ≤ `maxGroups` groups of ≤ `maxMembers`
 * listed ids. Cost per anomaly: O(active groups × services per group × call-graph BFS);
 * active groups are those whose last member is within 2·`windowMs` of the newest anomaly.
 *
 * @example
 * ```ts
 * const c = new AnomalyCorrelator({ calls: [['checkout', 'payment']] });
 * c.add({ id: 'a', service: 'payment', endpoint: 'POST /charge', t: 0 });   // 'cg-a'
 * c.add({ id: 'b', service: 'checkout', endpoint: 'POST /buy', t: 60_000 }); // 'cg-a'
 * c.add({ id: 'c', service: 'search', endpoint: 'GET /q', t: 60_000 });      // 'cg-c'
 * ```
 */
export class AnomalyCorrelator {
  private readonly windowMs: number;
  private readonly maxHops: number;
  private readonly maxGroups: number;
  private readonly maxMembers: number;
  readonly graph: CallGraph;
  private readonly all = new Map<string, Group>();
  private readonly alias = new Map<string, string>();
  private readonly memberOf = new Map<string, string>();
  private watermark = Number.NEGATIVE_INFINITY;

  /** @throws {RangeError} on a non-positive window or bounds. */
  constructor(options: CorrelatorOptions = {}) {
    this.windowMs = options.windowMs ?? 120_000;
    this.maxHops = options.maxHops ?? 3;
    this.maxGroups = options.maxGroups ?? 1000;
    this.maxMembers = options.maxMembers ?? 200;
    if (!(this.windowMs > 0 && this.maxGroups > 0 && this.maxMembers > 0 && this.maxHops >= 0)) {
      throw new RangeError('correlator windowMs, maxGroups and maxMembers must be > 0, maxHops ≥ 0');
    }
    this.graph = new CallGraph(options.calls ?? []);
  }

  /**
   * Adds `anomaly` and returns the id of its group (after any merge).
   * @throws {RangeError} when `anomaly.t` is not finite.
   */
  add(anomaly: CorrelatableAnomaly): string {
    if (!Number.isFinite(anomaly.t)) throw new RangeError(`anomaly time must be finite, got ${anomaly.t}`);
    const known = this.memberOf.get(anomaly.id);
    if (known !== undefined) return this.resolve(known);
    this.graph.learn(anomaly);
    this.watermark = Math.max(this.watermark, anomaly.t);
    const matches: Group[] = [];
    for (const g of this.all.values()) {
      if (g.last < this.watermark - 2 * this.windowMs) continue;
      if (this.links(g, anomaly)) matches.push(g);
    }
    let target: Group;
    if (matches.length === 0) {
      target = {
        id: `cg-${anomaly.id}`,
        first: anomaly.t,
        last: anomaly.t,
        spans: new Map(),
        members: [],
        memberCount: 0,
      };
      this.all.set(target.id, target);
    } else {
      matches.sort((a, b) => a.first - b.first || (a.id < b.id ? -1 : 1));
      target = matches[0]!;
      for (const other of matches.slice(1)) this.absorb(target, other);
    }
    this.place(target, anomaly);
    this.evict();
    return target.id;
  }

  /** The current id of a group id returned earlier (groups merge); the id itself when unknown. */
  resolve(groupId: string): string {
    let id = groupId;
    for (let hops = 0; hops < 64; hops++) {
      const next = this.alias.get(id);
      if (next === undefined) return id;
      id = next;
    }
    return id;
  }

  /** The group of an anomaly id added earlier (and not evicted), or undefined. */
  groupOf(anomalyId: string): CorrelationGroup | undefined {
    const id = this.memberOf.get(anomalyId);
    const g = id === undefined ? undefined : this.all.get(this.resolve(id));
    return g === undefined ? undefined : view(g);
  }

  /** All kept groups, ordered by first event time then id. */
  groups(): CorrelationGroup[] {
    return [...this.all.values()].sort((a, b) => a.first - b.first || (a.id < b.id ? -1 : 1)).map(view);
  }

  /** JSON-safe state; `AnomalyCorrelator.fromJSON(options, toJSON())` continues identically. */
  toJSON(): CorrelatorState {
    return {
      watermark: Number.isFinite(this.watermark) ? this.watermark : null,
      edges: this.graph.list(),
      groups: [...this.all.values()].map((g) => ({
        id: g.id,
        first: g.first,
        last: g.last,
        spans: [...g.spans].map(([service, sp]): [string, number, number] => [service, sp.first, sp.last]),
        members: g.members.slice(),
        memberCount: g.memberCount,
      })),
      aliases: [...this.alias],
    };
  }

  /**
   * Rebuilds a correlator from {@link AnomalyCorrelator.toJSON}; `options.calls` are added to the saved edges.
   * @throws {RangeError} on a malformed state.
   */
  static fromJSON(options: CorrelatorOptions, state: CorrelatorState): AnomalyCorrelator {
    if (!(Array.isArray(state.groups) && Array.isArray(state.edges) && Array.isArray(state.aliases))) {
      throw new RangeError('malformed correlator state');
    }
    const c = new AnomalyCorrelator(options);
    for (const [a, b] of state.edges) c.graph.add(a, b);
    c.watermark = state.watermark ?? Number.NEGATIVE_INFINITY;
    for (const g of state.groups) {
      const spans = new Map<string, { first: number; last: number }>();
      for (const [service, first, last] of g.spans) spans.set(service, { first, last });
      c.all.set(g.id, {
        id: g.id,
        first: g.first,
        last: g.last,
        spans,
        members: g.members.slice(),
        memberCount: g.memberCount,
      });
      for (const m of g.members) c.memberOf.set(m, g.id);
    }
    for (const [from, to] of state.aliases) c.alias.set(from, to);
    return c;
  }

  private links(g: Group, a: CorrelatableAnomaly): boolean {
    for (const [service, span] of g.spans) {
      if (a.t < span.first - this.windowMs || a.t > span.last + this.windowMs) continue;
      if (this.graph.related(service, a.service, this.maxHops)) return true;
    }
    return false;
  }

  private place(g: Group, a: CorrelatableAnomaly): void {
    g.first = Math.min(g.first, a.t);
    g.last = Math.max(g.last, a.t);
    const span = g.spans.get(a.service);
    if (span) {
      span.first = Math.min(span.first, a.t);
      span.last = Math.max(span.last, a.t);
    } else {
      g.spans.set(a.service, { first: a.t, last: a.t });
    }
    g.memberCount++;
    if (g.members.length < this.maxMembers) {
      g.members.push(a.id);
      this.memberOf.set(a.id, g.id);
    }
  }

  private absorb(into: Group, other: Group): void {
    into.first = Math.min(into.first, other.first);
    into.last = Math.max(into.last, other.last);
    for (const [service, s] of other.spans) {
      const span = into.spans.get(service);
      if (span) {
        span.first = Math.min(span.first, s.first);
        span.last = Math.max(span.last, s.last);
      } else {
        into.spans.set(service, { ...s });
      }
    }
    for (const id of other.members) {
      if (into.members.length < this.maxMembers) into.members.push(id);
      else this.memberOf.delete(id);
    }
    into.memberCount += other.memberCount;
    this.all.delete(other.id);
    this.alias.set(other.id, into.id);
  }

  private evict(): void {
    while (this.all.size > this.maxGroups) {
      let oldest: Group | undefined;
      for (const g of this.all.values()) if (oldest === undefined || g.last < oldest.last) oldest = g;
      if (oldest === undefined) return;
      this.all.delete(oldest.id);
      for (const id of oldest.members) this.memberOf.delete(id);
    }
    // Aliases point only at kept groups or chains of them; drop those whose target is gone.
    if (this.alias.size > 4 * this.maxGroups) {
      for (const [from] of this.alias) if (!this.all.has(this.resolve(from))) this.alias.delete(from);
    }
  }
}

function view(g: Group): CorrelationGroup {
  return {
    id: g.id,
    first: g.first,
    last: g.last,
    services: [...g.spans.keys()].sort(),
    members: g.members.slice(),
    memberCount: g.memberCount,
  };
}
