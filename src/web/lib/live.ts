/**
 * The live feed: one WebSocket to `/api/live` with automatic reconnect and resubscribe.
 *
 * Reconnect uses capped exponential backoff with full jitter (0.5 s × 2^n, at most 15 s),
 * as in Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015.
 * After every reconnect, `resync` listeners run so pages refetch over REST what the
 * feed missed while it was down (backfill).
 */
import type { LiveEvent } from '../../model/types.js';

/** Connection state shown in the header. */
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** A message from the server: its greeting, or an event (anomaly, alert, incident, silence, point). */
export type LiveMessage = { readonly type: 'hello'; readonly serverTime: number } | LiveEvent;

type Listener<T> = (value: T) => void;

/** Delay of the second backfill after a reconnect, ms (well above the server's commit interval). */
const RESYNC_SETTLE_MS = 1500;

export class LiveFeed {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private everOpened = false;
  /** True until {@link start} and again after {@link stop}. */
  private closed = true;
  private readonly subs = new Map<string, number>();
  private readonly stateListeners = new Set<Listener<LiveState>>();
  private readonly msgListeners = new Set<Listener<LiveMessage>>();
  private readonly resyncListeners = new Set<Listener<void>>();
  /** Current connection state. */
  state: LiveState = 'connecting';
  /** Number of reconnects so far (shown to the user). */
  reconnects = 0;

  /** @param url - WebSocket URL, default `ws(s)://<this host>/api/live`. */
  constructor(
    private readonly url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`,
  ) {}

  /** True between {@link start} and {@link stop}. */
  get running(): boolean {
    return !this.closed;
  }

  /**
   * Opens the connection (idempotent while running). With authentication on, call it only
   * once signed in: the handshake needs the session cookie.
   */
  start(): void {
    if (!this.closed) return;
    this.closed = false;
    this.attempt = 0;
    this.setState('connecting');
    this.connect();
    window.addEventListener('online', this.kick);
    document.addEventListener('visibilitychange', this.kick);
  }

  /** Closes the connection and stops reconnecting (sign-out, tests); {@link start} opens it again. */
  stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
    window.removeEventListener('online', this.kick);
    document.removeEventListener('visibilitychange', this.kick);
  }

  /** Listens to state changes; returns the unsubscribe function. */
  onState(fn: Listener<LiveState>): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  /** Listens to messages; returns the unsubscribe function. */
  onMessage(fn: Listener<LiveMessage>): () => void {
    this.msgListeners.add(fn);
    return () => this.msgListeners.delete(fn);
  }

  /** Runs `fn` after each reconnect so the caller can refetch what was missed. */
  onResync(fn: Listener<void>): () => void {
    this.resyncListeners.add(fn);
    return () => this.resyncListeners.delete(fn);
  }

  /** Subscribes to point events of series `ids` (reference-counted); returns the undo function. */
  subscribePoints(ids: readonly string[]): () => void {
    const fresh = ids.filter((id) => {
      const n = this.subs.get(id) ?? 0;
      this.subs.set(id, n + 1);
      return n === 0;
    });
    if (fresh.length > 0) this.send({ subscribe: { points: fresh } });
    return () => {
      const gone = ids.filter((id) => {
        const n = (this.subs.get(id) ?? 1) - 1;
        if (n <= 0) this.subs.delete(id);
        else this.subs.set(id, n);
        return n <= 0;
      });
      if (gone.length > 0) this.send({ unsubscribe: { points: gone } });
    };
  }

  private readonly kick = (): void => {
    if (this.closed || document.visibilityState === 'hidden') return;
    if (this.state === 'reconnecting' && this.ws === null) {
      clearTimeout(this.timer);
      this.connect();
    }
  };

  private send(msg: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private setState(s: LiveState): void {
    this.state = s;
    for (const fn of this.stateListeners) fn(s);
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      if (this.subs.size > 0) this.send({ subscribe: { points: [...this.subs.keys()] } });
      this.setState('live');
      if (this.everOpened) {
        for (const fn of this.resyncListeners) fn();
        // An event published just before this socket opened may not be in the store yet (the
        // server commits its write batch every ~100 ms): backfill once more a moment later.
        setTimeout(() => {
          if (this.ws === ws) for (const fn of this.resyncListeners) fn();
        }, RESYNC_SETTLE_MS);
      }
      this.everOpened = true;
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let msg: LiveMessage;
      try {
        msg = JSON.parse(ev.data) as LiveMessage;
      } catch {
        console.warn('vigil live feed: ignored a message that is not JSON');
        return;
      }
      for (const fn of this.msgListeners) fn(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closed) return;
      this.reconnects += this.everOpened ? 1 : 0;
      this.setState('reconnecting');
      const cap = Math.min(15_000, 500 * 2 ** this.attempt);
      this.attempt += 1;
      this.timer = setTimeout(() => this.connect(), 100 + Math.random() * cap);
    };
  }
}
