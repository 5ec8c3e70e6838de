/**
 * Exponentially weighted second-moment matrix of centred vectors, and whitening by its
 * Cholesky factor: w = L⁻¹ z with L·Lᵀ = C + εI. In whitened coordinates a vector that
 * breaks the usual correlation between features (traffic up, latency down) shows as a
 * large component even when each feature alone is in range; |w|² is the Mahalanobis
 * distance (P. C. Mahalanobis, "On the generalised distance in statistics", Proceedings
 * of the National Institute of Sciences of India 2(1), 1936), here on robust z-scores.
 * Per-feature shares z_i·(C⁻¹z)_i of |w|² are the contribution plot of multivariate SPC
 * (T. Kourti, J. F. MacGregor, "Multivariate SPC methods for process and product
 * monitoring", Journal of Quality Technology 28(4), 1996).
 *
 * Cost per update O(d²), per whitening O(d³) for the factorisation (d = 5: ~100 flops).
 * Memory d² numbers. `alpha` sets the horizon (≈ 1/alpha points); the average is
 * bias-corrected by its total weight 1 − (1 − alpha)^n, and is the identity before any point.
 *
 * @example
 * ```ts
 * const m = new Whitener(2, 0.5);
 * m.learn([1, 1]); m.learn([-1, -1]);
 * m.whiten([1, -1]); // { w: [0.9995…, -44.71…], shares: [0.5, 0.5] }: the anti-correlated direction stands out
 * ```
 */
export class Whitener {
  readonly d: number;
  private readonly alpha: number;
  private readonly c: number[];
  private weight = 0;

  /** @throws {RangeError} when d < 1 or alpha not in (0, 1]. */
  constructor(d: number, alpha: number, state?: readonly number[]) {
    if (!(Number.isInteger(d) && d >= 1 && alpha > 0 && alpha <= 1))
      throw new RangeError('Whitener needs d ≥ 1, alpha in (0, 1]');
    this.d = d;
    this.alpha = alpha;
    if (state !== undefined && state.length !== d * d + 1) throw new RangeError('malformed Whitener state');
    this.c = state ? state.slice(0, d * d) : new Array<number>(d * d).fill(0);
    this.weight = state ? state[d * d]! : 0;
  }

  /** Moves the moment matrix toward z·zᵀ. */
  learn(z: readonly number[]): void {
    const { d, alpha, c } = this;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) c[i * d + j] = (1 - alpha) * c[i * d + j]! + alpha * z[i]! * z[j]!;
    }
    this.weight = (1 - alpha) * this.weight + alpha;
  }

  /** Whitened vector w = L⁻¹ z and per-feature shares of |w|² (sum 1, or all 0 for z = 0). */
  whiten(z: readonly number[]): { w: number[]; shares: number[] } {
    const { d } = this;
    const l = this.cholesky();
    const w = new Array<number>(d).fill(0);
    for (let i = 0; i < d; i++) {
      let s = z[i]!;
      for (let k = 0; k < i; k++) s -= l[i * d + k]! * w[k]!;
      w[i] = s / l[i * d + i]!;
    }
    // v = C⁻¹ z = L⁻ᵀ w (back substitution).
    const v = new Array<number>(d).fill(0);
    for (let i = d - 1; i >= 0; i--) {
      let s = w[i]!;
      for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * v[k]!;
      v[i] = s / l[i * d + i]!;
    }
    const raw = z.map((zi, i) => Math.abs(zi * v[i]!));
    const total = raw.reduce((a, b) => a + b, 0);
    return { w, shares: raw.map((r) => (total > 0 ? r / total : 0)) };
  }

  /** Row-major moment matrix (not bias-corrected), then the total weight (for snapshots). */
  values(): number[] {
    return [...this.c, this.weight];
  }

  private cholesky(): number[] {
    const { d, c, weight } = this;
    const l = new Array<number>(d * d).fill(0);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        const m = weight > 0 ? c[i * d + j]! / weight : i === j ? 1 : 0;
        let s = m + (i === j ? 1e-3 : 0);
        for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
        l[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-9)) : s / l[j * d + j]!;
      }
    }
    return l;
  }
}
