import { Mulberry32 } from './prng.js';

/** Options of {@link HalfSpaceTrees}. */
export interface HalfSpaceTreesOptions {
  /** Number of input dimensions (≥ 1). Inputs are expected in [0, 1]. */
  readonly dimensions: number;
  /** Number of trees, default 20. */
  readonly trees?: number;
  /** Depth of each tree, default 10 (2^11 − 1 nodes per tree). */
  readonly height?: number;
  /** Points per window ψ, default 120: the reference mass profile is replaced every ψ learned points. */
  readonly windowSize?: number;
  /** Seed of the random tree structure, default 1. */
  readonly seed?: number;
}

/**
 * The random, data-independent cuts of a Half-Space Trees ensemble: a pure function of
 * (dimensions, trees, height, seed), immutable, shareable by many {@link HalfSpaceTrees}.
 */
export class HalfSpaceStructure {
  readonly dimensions: number;
  readonly trees: number;
  readonly height: number;
  readonly seed: number;
  /** Nodes per tree, 2^(height+1) − 1, heap-ordered (children of i: 2i+1, 2i+2). */
  readonly nodes: number;
  /** Per node: the dimension it halves and the cut value (internal nodes only). */
  readonly dim: Int32Array;
  readonly split: Float64Array;

  /** @throws {RangeError} on non-positive integer dimensions, trees or height. */
  constructor(options: HalfSpaceTreesOptions) {
    const dimensions = options.dimensions;
    const trees = options.trees ?? 20;
    const height = options.height ?? 10;
    for (const [name, v, max] of [
      ['dimensions', dimensions, 1024],
      ['trees', trees, 1000],
      ['height', height, 20],
    ] as const) {
      if (!(Number.isInteger(v) && v >= 1 && v <= max))
        throw new RangeError(`${name} must be an integer in [1, ${max}]`);
    }
    this.dimensions = dimensions;
    this.trees = trees;
    this.height = height;
    this.seed = options.seed ?? 1;
    this.nodes = 2 ** (height + 1) - 1;
    this.dim = new Int32Array(trees * this.nodes);
    this.split = new Float64Array(trees * this.nodes);
    const rng = new Mulberry32(this.seed);
    const lo = new Float64Array(dimensions);
    const hi = new Float64Array(dimensions);
    for (let t = 0; t < trees; t++) {
      for (let q = 0; q < dimensions; q++) {
        const u = rng.next();
        const r = 2 * Math.max(u, 1 - u);
        lo[q] = u - r;
        hi[q] = u + r;
      }
      this.grow(rng, t * this.nodes, 0, lo, hi);
    }
  }

  /** True when `options` describe this structure. */
  matches(options: HalfSpaceTreesOptions): boolean {
    return (
      options.dimensions === this.dimensions &&
      (options.trees ?? 20) === this.trees &&
      (options.height ?? 10) === this.height &&
      (options.seed ?? 1) === this.seed
    );
  }

  private grow(rng: Mulberry32, base: number, node: number, lo: Float64Array, hi: Float64Array): void {
    if (node >= this.nodes >> 1) return;
    const q = rng.int(this.dimensions);
    const mid = (lo[q]! + hi[q]!) / 2;
    this.dim[base + node] = q;
    this.split[base + node] = mid;
    const h = hi[q]!;
    hi[q] = mid;
    this.grow(rng, base, 2 * node + 1, lo, hi);
    hi[q] = h;
    const l = lo[q]!;
    lo[q] = mid;
    this.grow(rng, base, 2 * node + 2, lo, hi);
    lo[q] = l;
  }
}

/** JSON state of {@link HalfSpaceTrees}: the structure is rebuilt from the seed, masses are sparse pairs. */
export interface HalfSpaceTreesState {
  readonly dimensions: number;
  readonly trees: number;
  readonly height: number;
  readonly windowSize: number;
  readonly seed: number;
  readonly count: number;
  readonly windows: number;
  /** Per tree, flattened pairs [node, mass, node, mass, …]. */
  readonly reference: number[][];
  readonly latest: number[][];
}

/**
 * Streaming Half-Space Trees (HS-Trees): an ensemble of random, data-independent binary
 * trees over a workspace around [0, 1]^d. Each node halves one random dimension. Points
 * of the latest window of ψ points are counted into each node's "latest" mass; when the
 * window is full, it becomes the "reference" mass and counting restarts. A point's
 * normality is Σ over trees of r·2^k at the deepest node on its path whose reference mass
 * r exceeds the size limit (0.1·ψ) or the leaf, k being that node's depth: points in
 * densely populated regions of the recent past score high, isolated points low.
 * {@link HalfSpaceTrees.anomaly} returns −log2(1 + mean normality) so larger is more anomalous.
 *
 * Works for moderate dimension (here 5) with features scaled to about [0, 1]; it adapts
 * to drift within two windows and needs no training pass. It fails on anomalies that differ
 * by less than a cell width along every dimension (resolution ≈ 3/2^(height/d)), and
 * ignores the order of points inside a window. Cost per point: O(trees × height) time
 * for score and for learn; memory 2 × trees × 2^(height+1) 32-bit counts (320 KB with the
 * defaults), plus the tree structure, which depends only on the options and can be shared
 * between instances ({@link HalfSpaceStructure}).
 *
 * Reference: S. C. Tan, K. M. Ting, T. F. Liu, "Fast Anomaly Detection for Streaming
 * Data", Proceedings of IJCAI 2011.
 *
 * @example
 * ```ts
 * const h = new HalfSpaceTrees({ dimensions: 2, windowSize: 50, seed: 7 });
 * for (let i = 0; i < 100; i++) h.learn([0.5 + 0.01 * (i % 5), 0.5]);
 * h.anomaly([0.5, 0.5]) < h.anomaly([0.95, 0.05]); // true
 * ```
 */
export class HalfSpaceTrees {
  readonly structure: HalfSpaceStructure;
  readonly windowSize: number;
  private readonly nodes: number;
  private readonly dim: Int32Array;
  private readonly split: Float64Array;
  private reference: Int32Array;
  private latest: Int32Array;
  private readonly sizeLimit: number;
  private count = 0;
  private windowsDone = 0;

  /**
   * @param structure shared cuts; built from `options` when omitted.
   * @throws {RangeError} on invalid options or a `structure` that does not match them.
   */
  constructor(options: HalfSpaceTreesOptions, structure?: HalfSpaceStructure) {
    const windowSize = options.windowSize ?? 120;
    if (!(Number.isInteger(windowSize) && windowSize >= 1))
      throw new RangeError('windowSize must be an integer ≥ 1');
    if (structure !== undefined && !structure.matches(options)) {
      throw new RangeError('HalfSpaceStructure does not match the options');
    }
    this.structure = structure ?? new HalfSpaceStructure(options);
    this.windowSize = windowSize;
    this.nodes = this.structure.nodes;
    this.dim = this.structure.dim;
    this.split = this.structure.split;
    this.reference = new Int32Array(this.structure.trees * this.nodes);
    this.latest = new Int32Array(this.structure.trees * this.nodes);
    this.sizeLimit = 0.1 * windowSize;
  }

  get dimensions(): number {
    return this.structure.dimensions;
  }

  get trees(): number {
    return this.structure.trees;
  }

  /** Points learned so far. */
  get learned(): number {
    return this.windowsDone * this.windowSize + this.count;
  }

  /** True once a reference window exists (scores before that are 0 normality). */
  get ready(): boolean {
    return this.windowsDone > 0;
  }

  /** Counts `x` into the latest window; swaps windows every ψ points. */
  learn(x: readonly number[]): void {
    this.check(x);
    const internal = this.nodes >> 1;
    for (let t = 0; t < this.trees; t++) {
      const base = t * this.nodes;
      let node = 0;
      for (;;) {
        this.latest[base + node]! += 1;
        if (node >= internal) break;
        node = 2 * node + (x[this.dim[base + node]!]! < this.split[base + node]! ? 1 : 2);
      }
    }
    this.count++;
    if (this.count === this.windowSize) {
      const old = this.reference;
      this.reference = this.latest;
      old.fill(0);
      this.latest = old;
      this.count = 0;
      this.windowsDone++;
    }
  }

  /** Anomaly measure of `x` in bits: −log2(1 + mean over trees of r·2^k); no side effects. */
  anomaly(x: readonly number[]): number {
    this.check(x);
    const internal = this.nodes >> 1;
    let sum = 0;
    for (let t = 0; t < this.trees; t++) {
      const base = t * this.nodes;
      let node = 0;
      let depth = 0;
      for (;;) {
        const r = this.reference[base + node]!;
        if (node >= internal || r <= this.sizeLimit) {
          sum += r * 2 ** depth;
          break;
        }
        node = 2 * node + (x[this.dim[base + node]!]! < this.split[base + node]! ? 1 : 2);
        depth++;
      }
    }
    return -Math.log2(1 + sum / this.trees);
  }

  /** JSON-safe state. */
  toJSON(): HalfSpaceTreesState {
    return {
      dimensions: this.dimensions,
      trees: this.trees,
      height: this.structure.height,
      windowSize: this.windowSize,
      seed: this.structure.seed,
      count: this.count,
      windows: this.windowsDone,
      reference: this.sparse(this.reference),
      latest: this.sparse(this.latest),
    };
  }

  /** Rebuilds from {@link HalfSpaceTrees.toJSON}. @throws {RangeError} on a malformed state. */
  static fromJSON(s: HalfSpaceTreesState, structure?: HalfSpaceStructure): HalfSpaceTrees {
    const h = new HalfSpaceTrees(s, structure);
    if (!(Array.isArray(s.reference) && Array.isArray(s.latest) && s.reference.length === h.trees)) {
      throw new RangeError('malformed HalfSpaceTrees state');
    }
    h.count = s.count;
    h.windowsDone = s.windows;
    h.dense(s.reference, h.reference);
    h.dense(s.latest, h.latest);
    return h;
  }

  private check(x: readonly number[]): void {
    if (x.length !== this.dimensions)
      throw new RangeError(`expected ${this.dimensions} dimensions, got ${x.length}`);
  }

  private sparse(mass: Int32Array): number[][] {
    const out: number[][] = [];
    for (let t = 0; t < this.trees; t++) {
      const pairs: number[] = [];
      for (let i = 0; i < this.nodes; i++) {
        const m = mass[t * this.nodes + i]!;
        if (m !== 0) pairs.push(i, m);
      }
      out.push(pairs);
    }
    return out;
  }

  private dense(pairs: number[][], into: Int32Array): void {
    pairs.forEach((p, t) => {
      for (let i = 0; i + 1 < p.length; i += 2) {
        const node = p[i]!;
        if (!(Number.isInteger(node) && node >= 0 && node < this.nodes)) {
          throw new RangeError(`malformed HalfSpaceTrees state: node ${node}`);
        }
        into[t * this.nodes + node] = p[i + 1]!;
      }
    });
  }
}
