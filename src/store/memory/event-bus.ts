/**
 * In-process {@link EventBus}: synchronous fan-out to the listeners subscribed at publish time.
 */
import type { LiveEvent } from '../../model/types.js';
import type { EventBus } from '../types.js';

export interface MemoryEventBusOptions {
  /**
   * Called when a listener throws; the other listeners still receive the event.
   * Default: `process.emitWarning` with the error.
   */
  readonly onListenerError?: (error: unknown, event: LiveEvent) => void;
}

/**
 * Delivers each published event to every current listener, in subscription order, before
 * `publish` returns. A listener that throws does not stop the others. A listener subscribed
 * or unsubscribed during a publish takes effect from the next publish. After `close()`,
 * `publish` delivers nothing and `subscribe` returns a no-op.
 * @example
 * const bus = new MemoryEventBus();
 * const off = bus.subscribe((e) => console.log(e.type));
 * bus.publish({ type: 'point', point }); // logs "point"
 * off();
 */
export class MemoryEventBus implements EventBus {
  private listeners = new Set<(event: LiveEvent) => void>();
  private closed = false;
  private readonly onListenerError: (error: unknown, event: LiveEvent) => void;

  constructor(options: MemoryEventBusOptions = {}) {
    this.onListenerError =
      options.onListenerError ??
      ((error) => {
        process.emitWarning(
          error instanceof Error ? error : new Error(String(error)),
          'EventBusListenerError',
        );
      });
  }

  publish(event: LiveEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    if (this.closed) return () => {};
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const entry = (event: LiveEvent): void => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Number of current subscriptions. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners = new Set();
  }
}
