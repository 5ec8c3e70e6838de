/** Ratio σ / MAD for Gaussian data: 1 / Φ⁻¹(3/4). */
export const MAD_TO_SIGMA = 1.482602218505602;

/**
 * Rolling median and MAD (median absolute deviation) of the last `capacity` values.
 *
 * Keeps a ring buffer and a sorted copy: the expired value is replaced in place by the new
 * one (binary search + shift), the median is read from the sorted copy and the MAD by a
 * two-pointer merge of the deviations on both sides of the median. Robust to up to
 * half of the window being outliers (F. R. Hampel, "The influence curve and its role in
 * robust estimation", JASA 69(346), 1974). Cost per push: O(capacity) worst case (shift);
 * `median()` O(1), `mad()` O(capacity). Memory: 2 × capacity numbers.
 *
 * @example
 * ```ts
 * const r = new RollingRobust(5);
 * for (const v of [1, 2, 3, 4, 100]) r.push(v);
 * r.median(); // 3
 * r.mad();    // 1
 * ```
 */
export class RollingRobust {
  readonly capacity: number;
  private readonly ring: number[] = [];
  private head = 0;
  private readonly sorted: number[] = [];

  /** @throws {RangeError} when capacity is not a positive integer. */
  constructor(capacity: number, values: readonly number[] = []) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
    this.capacity = capacity;
    for (const v of values) this.push(v);
  }

  /** Values held (≤ capacity). */
  get size(): number {
    return this.ring.length;
  }

  /** Adds `v`, expiring the oldest value when full. @throws {RangeError} when `v` is not finite. */
  push(v: number): void {
    if (!Number.isFinite(v)) throw new RangeError(`value must be finite, got ${v}`);
    if (this.ring.length < this.capacity) {
      this.ring.push(v);
    } else {
      const old = this.ring[this.head]!;
      this.ring[this.head] = v;
      this.head = (this.head + 1) % this.capacity;
      // Replace `old` by `v` in the sorted copy, shifting the values in between by one.
      const a = this.sorted;
      let i = lowerBound(a, old);
      if (v >= old) {
        while (i + 1 < a.length && a[i + 1]! < v) {
          a[i] = a[i + 1]!;
          i++;
        }
      } else {
        while (i > 0 && a[i - 1]! > v) {
          a[i] = a[i - 1]!;
          i--;
        }
      }
      a[i] = v;
      return;
    }
    const a = this.sorted;
    let i = a.length;
    a.push(v);
    while (i > 0 && a[i - 1]! > v) {
      a[i] = a[i - 1]!;
      i--;
    }
    a[i] = v;
  }

  /** Median of the window (mean of the two middle values for an even count); NaN when empty. */
  median(): number {
    const n = this.sorted.length;
    if (n === 0) return Number.NaN;
    const m = n >> 1;
    return n % 2 === 1 ? this.sorted[m]! : (this.sorted[m - 1]! + this.sorted[m]!) / 2;
  }

  /**
   * Median of |v − median| over the window; NaN when empty. The deviations left of the
   * median grow leftwards and those right of it grow rightwards, so a two-pointer merge
   * reaches the middle one in n/2 steps without sorting.
   */
  mad(): number {
    const a = this.sorted;
    const n = a.length;
    if (n === 0) return Number.NaN;
    const med = this.median();
    let l = lowerBound(a, med) - 1;
    let r = l + 1;
    const m = n >> 1;
    let prev = 0;
    let cur = 0;
    for (let k = 0; k <= m; k++) {
      const dl = l >= 0 ? med - a[l]! : Number.POSITIVE_INFINITY;
      const dr = r < n ? a[r]! - med : Number.POSITIVE_INFINITY;
      prev = cur;
      if (dl <= dr) {
        cur = dl;
        l--;
      } else {
        cur = dr;
        r++;
      }
    }
    return n % 2 === 1 ? cur : (prev + cur) / 2;
  }

  /** Values oldest first (for snapshots). */
  values(): number[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }
}

function lowerBound(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
