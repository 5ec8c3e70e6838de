/**
 * Paces a replay so that event time advances `speed` times faster than wall time: the point with event time `t`
 * is due `(t − t₀) / speed` ms after the first point was sent.
 */
export class Pacer {
  readonly #speed: number;
  readonly #clock: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #anchor: { readonly wall: number; readonly event: number } | undefined;

  /**
   * @param speed event ms per wall ms (> 0); `Infinity` never waits
   * @param clock monotonic wall clock, ms (default `performance.now`)
   * @param sleep waits the given ms (default a timer)
   */
  constructor(
    speed: number,
    clock: () => number = () => performance.now(),
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.#speed = speed;
    this.#clock = clock;
    this.#sleep = sleep;
  }

  /** Wall time (same clock) at which event time `t` is due; the first call anchors t₀ at now. */
  dueAt(t: number): number {
    this.#anchor ??= { wall: this.#clock(), event: t };
    if (!Number.isFinite(this.#speed)) return this.#anchor.wall;
    return this.#anchor.wall + (t - this.#anchor.event) / this.#speed;
  }

  /** Waits until event time `t` is due (returns at once for past-due or earlier-than-anchor times). */
  async waitUntil(t: number): Promise<void> {
    const wait = this.dueAt(t) - this.#clock();
    // Rounded up: a timer may fire up to 1 ms before a fractional delay.
    if (wait > 0) await this.#sleep(Math.ceil(wait));
  }

  /** Forgets the anchor, so the next point starts a new timeline (used between files). */
  reset(): void {
    this.#anchor = undefined;
  }
}
