/** The slice of an anomaly record the correlator reads (Vigil's `Anomaly` satisfies it). */
export interface CorrelatableAnomaly {
  /** Unique id; adding the same id twice returns the same group. */
  readonly id: string;
  readonly service: string;
  readonly endpoint: string;
  /** Event time, Unix ms. */
  readonly t: number;
  readonly labels?: Readonly<Record<string, string>>;
}

/** Endpoint naming convention for outbound calls: `<callee>:<METHOD>:<path>`, e.g. `payment:POST:/charge`. */
const OUTBOUND = /^([A-Za-z0-9_.-]+):([A-Z]+):(\/.*)$/;

/**
 * Caller → callee edges between services, learned from anomaly records and declared up front.
 *
 * Conventions (documented in the correlator): on a series of service S,
 * - label `upstream=<caller>` means `<caller>` calls S;
 * - label `calls=<a>,<b>` means S calls a and b;
 * - an endpoint named `<callee>:<METHOD>:<path>` (e.g. `payment:POST:/charge`) is S's
 *   outbound call to `<callee>`.
 * Bounded: at most `maxEdges` edges are kept (further ones are counted in `dropped`).
 * Reachability is a breadth-first search, O(edges) per query.
 */
export class CallGraph {
  private readonly out = new Map<string, Set<string>>();
  private edges = 0;
  /** Edges refused because the graph was full. */
  dropped = 0;

  constructor(
    calls: ReadonlyArray<readonly [string, string]> = [],
    private readonly maxEdges = 10_000,
  ) {
    for (const [a, b] of calls) this.add(a, b);
  }

  /** Adds the edge caller → callee (self-calls ignored). */
  add(caller: string, callee: string): void {
    if (caller === callee || caller === '' || callee === '') return;
    let set = this.out.get(caller);
    if (set?.has(callee)) return;
    if (this.edges >= this.maxEdges) {
      this.dropped++;
      return;
    }
    if (set === undefined) {
      set = new Set();
      this.out.set(caller, set);
    }
    set.add(callee);
    this.edges++;
  }

  /** Learns the edges an anomaly's labels and endpoint declare (see the class comment). */
  learn(a: CorrelatableAnomaly): void {
    const upstream = a.labels?.upstream;
    if (upstream) this.add(upstream, a.service);
    const calls = a.labels?.calls;
    if (calls) for (const c of calls.split(',')) this.add(a.service, c.trim());
    const m = OUTBOUND.exec(a.endpoint);
    if (m) this.add(a.service, m[1]!);
  }

  /** True when `a` reaches `b` or `b` reaches `a` along caller → callee edges in ≤ `maxHops` hops. */
  related(a: string, b: string, maxHops: number): boolean {
    return a === b || this.reaches(a, b, maxHops) || this.reaches(b, a, maxHops);
  }

  /** All edges, sorted (for views and tests). */
  list(): [string, string][] {
    const all: [string, string][] = [];
    for (const [a, set] of this.out) for (const b of set) all.push([a, b]);
    const key = (e: [string, string]) => `${e[0]}\u0000${e[1]}`;
    return all.sort((x, y) => (key(x) < key(y) ? -1 : 1));
  }

  private reaches(from: string, to: string, maxHops: number): boolean {
    let frontier = [from];
    const seen = new Set(frontier);
    for (let hop = 0; hop < maxHops && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const s of frontier) {
        for (const c of this.out.get(s) ?? []) {
          if (c === to) return true;
          if (!seen.has(c)) {
            seen.add(c);
            next.push(c);
          }
        }
      }
      frontier = next;
    }
    return false;
  }
}
