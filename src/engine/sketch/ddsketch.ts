/** Default relative accuracy α of {@link DDSketch}. */
export const DEFAULT_ALPHA = 0.01;
/** Default bound on the number of buckets of {@link DDSketch}. */
export const DEFAULT_MAX_BUCKETS = 2048;
/** Values below this (and exact zeros) are counted in the zero bucket. */
const MIN_INDEXABLE = 1e-9;

/** Options of {@link DDSketch}. */
export interface DDSketchOptions {
  /** Relative accuracy α in (0, 1), default 0.01: every quantile is within ±α·x of the true one. */
  readonly alpha?: number;
  /** Maximum number of buckets (≥ 16), default 2048; beyond it the lowest buckets are collapsed. */
  readonly maxBuckets?: number;
}

/** JSON state of a {@link DDSketch}. */
export interface DDSketchState {
  readonly alpha: number;
  readonly maxBuckets: number;
  readonly zero: number;
  /** Index of `counts[0]`. */
  readonly offset: number;
  readonly counts: number[];
  readonly min: number;
  readonly max: number;
}

/**
 * DDSketch: a quantile sketch with a relative-error guarantee, fully mergeable.
 *
 * A positive value x goes to bucket i = ⌈log_γ x⌉ with γ = (1+α)/(1−α); the bucket
 * (γ^(i−1), γ^i] is represented by 2γ^i/(γ+1), which is within α·x of every value in it.
 * A quantile walks the buckets to rank ⌊q·(n−1)⌋ and returns the representative, so the
 * answer is within relative error α of the exact order statistic `sorted[⌊q·(n−1)⌋]`.
 * Memory is bounded: when more than `maxBuckets` buckets would be needed, the lowest ones
 * are collapsed into one (the guarantee then holds for quantiles above the collapsed mass,
 * which for latency is the high quantiles that matter). With α = 0.01, 2048 buckets cover
 * values from 1 µs to 10^11 ms without collapsing.
 *
 * Works for non-negative data (latencies, sizes); it throws on negatives. Cost per value:
 * O(1) time (one log), amortised O(1) growth; memory ≤ `maxBuckets` numbers.
 * Quantile: O(buckets). Merge: O(buckets).
 *
 * Reference: C. Masson, J. E. Rim, H. K. Lee, "DDSketch: A Fast and Fully-Mergeable
 * Quantile Sketch with Relative-Error Guarantees", PVLDB 12(12), 2019.
 *
 * @example
 * ```ts
 * const s = new DDSketch();
 * for (let v = 1; v <= 100; v++) s.add(v);
 * s.quantile(0.5); // 49.90296… (exact: 50; |error| ≤ 1%)
 * ```
 */
export class DDSketch {
  readonly alpha: number;
  readonly maxBuckets: number;
  private readonly gamma: number;
  private readonly lnGamma: number;
  private zero = 0;
  private offset = 0;
  private counts: number[] = [];
  private total = 0;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  /** @throws {RangeError} when `alpha` is not in (0, 1) or `maxBuckets` < 16. */
  constructor(options: DDSketchOptions = {}) {
    const alpha = options.alpha ?? DEFAULT_ALPHA;
    const maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`DDSketch alpha must be in (0, 1), got ${alpha}`);
    if (!(Number.isInteger(maxBuckets) && maxBuckets >= 16)) {
      throw new RangeError(`DDSketch maxBuckets must be an integer ≥ 16, got ${maxBuckets}`);
    }
    this.alpha = alpha;
    this.maxBuckets = maxBuckets;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.lnGamma = Math.log(this.gamma);
  }

  /** Number of values added. */
  get count(): number {
    return this.total;
  }

  /** Smallest value added (exact), +∞ when empty. */
  get min(): number {
    return this.lo;
  }

  /** Largest value added (exact), −∞ when empty. */
  get max(): number {
    return this.hi;
  }

  /** Number of buckets in use (memory bound check). */
  get buckets(): number {
    return this.counts.length;
  }

  /**
   * Adds `value` `weight` times.
   * @throws {RangeError} when `value` is negative or not finite, or `weight` is not a positive finite number.
   */
  add(value: number, weight = 1): void {
    if (!(Number.isFinite(value) && value >= 0))
      throw new RangeError(`DDSketch value must be ≥ 0, got ${value}`);
    if (!(Number.isFinite(weight) && weight > 0))
      throw new RangeError(`DDSketch weight must be > 0, got ${weight}`);
    this.total += weight;
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
    if (value < MIN_INDEXABLE) {
      this.zero += weight;
      return;
    }
    this.addToBucket(Math.ceil(Math.log(value) / this.lnGamma), weight);
  }

  /**
   * The q-quantile (q in [0, 1]) within relative error α of `sorted[⌊q·(n−1)⌋]`; the exact
   * min/max for q = 0/1 are clamped into. NaN when the sketch is empty.
   * @throws {RangeError} when q is not in [0, 1].
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
    if (this.total === 0) return Number.NaN;
    const rank = Math.floor(q * (this.total - 1));
    let seen = this.zero;
    if (rank < seen) return 0;
    for (let j = 0; j < this.counts.length; j++) {
      seen += this.counts[j]!;
      if (seen > rank) {
        const v = (2 * this.gamma ** (j + this.offset)) / (this.gamma + 1);
        return Math.min(Math.max(v, this.lo), this.hi);
      }
    }
    return this.hi;
  }

  /**
   * Adds every value of `other` into this sketch (lossless: the result equals a sketch of both streams).
   * @throws {RangeError} when the two sketches have different α.
   */
  merge(other: DDSketch): void {
    if (other.alpha !== this.alpha) throw new RangeError('DDSketch.merge needs sketches with the same alpha');
    if (other.total === 0) return;
    this.zero += other.zero;
    this.total += other.total;
    this.lo = Math.min(this.lo, other.lo);
    this.hi = Math.max(this.hi, other.hi);
    for (let j = 0; j < other.counts.length; j++) {
      const c = other.counts[j]!;
      if (c > 0) this.addToBucket(j + other.offset, c);
    }
  }

  /** Empties the sketch, keeping its options. */
  clear(): void {
    this.zero = 0;
    this.offset = 0;
    this.counts = [];
    this.total = 0;
    this.lo = Number.POSITIVE_INFINITY;
    this.hi = Number.NEGATIVE_INFINITY;
  }

  /** JSON-safe state (±∞ of an empty sketch are stored as 0). */
  toJSON(): DDSketchState {
    const empty = this.total === 0;
    return {
      alpha: this.alpha,
      maxBuckets: this.maxBuckets,
      zero: this.zero,
      offset: this.offset,
      counts: this.counts.slice(),
      min: empty ? 0 : this.lo,
      max: empty ? 0 : this.hi,
    };
  }

  /** Rebuilds a sketch from {@link DDSketch.toJSON}. @throws {RangeError} on a malformed state. */
  static fromJSON(state: DDSketchState): DDSketch {
    const s = new DDSketch({ alpha: state.alpha, maxBuckets: state.maxBuckets });
    if (
      !Array.isArray(state.counts) ||
      state.counts.length > s.maxBuckets ||
      !Number.isInteger(state.offset)
    ) {
      throw new RangeError('malformed DDSketch state');
    }
    s.zero = state.zero;
    s.offset = state.offset;
    s.counts = state.counts.slice();
    s.total = s.zero + s.counts.reduce((a, b) => a + b, 0);
    if (s.total > 0) {
      s.lo = state.min;
      s.hi = state.max;
    }
    return s;
  }

  private addToBucket(index: number, weight: number): void {
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts.push(weight);
      return;
    }
    if (index < this.offset) {
      const grow = this.offset - index;
      if (this.counts.length + grow > this.maxBuckets) {
        // Below the kept range: collapse into the lowest bucket.
        const keep = this.maxBuckets - this.counts.length;
        if (keep <= 0) {
          this.counts[0]! += weight;
          return;
        }
        this.counts.unshift(...new Array<number>(keep).fill(0));
        this.offset -= keep;
        this.counts[0]! += weight;
        return;
      }
      this.counts.unshift(...new Array<number>(grow).fill(0));
      this.offset = index;
    }
    let j = index - this.offset;
    if (j >= this.counts.length) {
      const need = j + 1;
      if (need > this.maxBuckets) {
        this.collapseLowest(need - this.maxBuckets);
        j = index - this.offset;
      }
      while (this.counts.length <= j) this.counts.push(0);
    }
    this.counts[j]! += weight;
  }

  /** Folds the lowest `k` buckets into the next one, shifting the range up by `k`. */
  private collapseLowest(k: number): void {
    const n = Math.min(k, this.counts.length - 1);
    let folded = 0;
    for (let j = 0; j < n; j++) folded += this.counts[j]!;
    this.counts.splice(0, n);
    this.counts[0]! += folded;
    this.offset += n;
    if (n < k) this.offset += k - n;
  }
}
