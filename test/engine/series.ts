/** Deterministic synthetic series for engine tests (seeded, no Math.random). */
import type { Sample } from '../../src/engine/index.js';

/** Mulberry32 PRNG (T. Ettinger, 2017, public-domain 32-bit generator); returns [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by the Box–Muller transform (Box & Muller, 1958, Ann. Math. Stat. 29(2)). */
export function gaussian(seed: number): () => number {
  const u = prng(seed);
  return () => {
    const u1 = Math.max(u(), 1e-12);
    const u2 = u();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
}

export const STEP_MS = 300_000;
export const T0 = Date.UTC(2024, 0, 1);

/** n samples every 5 minutes from T0 with value f(i, noise). */
export function makeSeries(n: number, f: (i: number, noise: number) => number, seed = 7): Sample[] {
  const g = gaussian(seed);
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) out.push({ t: T0 + i * STEP_MS, v: f(i, g()) });
  return out;
}

/** Daily sine of amplitude `amp` around `base` at 5-minute steps. */
export function daily(i: number, base: number, amp: number): number {
  return base + amp * Math.sin((2 * Math.PI * i) / 288);
}
