/**
 * Seeded pseudo-random numbers for the engine (the engine never calls `Math.random()`).
 *
 * Mulberry32: a 32-bit state generator by Tommy Ettinger (2017, public domain, published in
 * his "Mulberry32" gist and discussed on the PractRand mailing list). Period 2^32, passes
 * gjrand/PractRand up to a few GB; more than enough for tree cuts and simulation. Not
 * cryptographic. Cost: O(1) per draw, 4 bytes of state.
 *
 * @example
 * ```ts
 * const r = new Mulberry32(42);
 * r.next(); // 0.6011037519201636 (always the same for seed 42)
 * ```
 */
export class Mulberry32 {
  private s: number;

  /** @param seed any number; only its low 32 bits are used. */
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Current 32-bit state; `new Mulberry32(r.state)` continues the same sequence. */
  get state(): number {
    return this.s;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal by the Box–Muller transform (G. E. P. Box, M. E. Muller, Ann. Math. Stat. 29(2), 1958). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Poisson(λ) count: Knuth's multiplication method for λ < 30, a rounded normal
   * approximation above (D. E. Knuth, The Art of Computer Programming vol. 2, 1969).
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}
