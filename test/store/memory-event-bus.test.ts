import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/model/types.js';
import { MemoryEventBus } from '../../src/store/memory/index.js';
import { point } from './records.js';

const event = (t: number): LiveEvent => ({ type: 'point', point: point({ t }) });

describe('MemoryEventBus', () => {
  it('delivers each event synchronously to every listener in subscription order', () => {
    const bus = new MemoryEventBus();
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(`a${e.type === 'point' ? e.point.t : ''}`));
    bus.subscribe((e) => seen.push(`b${e.type === 'point' ? e.point.t : ''}`));
    bus.publish(event(1));
    expect(seen).toEqual(['a1', 'b1']);
  });

  it('keeps delivering to the others when a listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const bus = new MemoryEventBus({ onListenerError: (error) => errors.push(error) });
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((e) => seen.push(e.type === 'point' ? e.point.t : -1));
    bus.publish(event(1));
    bus.publish(event(2));
    expect(seen).toEqual([1, 2]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'boom']);
  });

  it('unsubscribes one subscription at a time, even of the same function', () => {
    const bus = new MemoryEventBus();
    let calls = 0;
    const listener = () => {
      calls += 1;
    };
    const off1 = bus.subscribe(listener);
    bus.subscribe(listener);
    bus.publish(event(1));
    off1();
    off1();
    bus.publish(event(2));
    expect(calls).toBe(3);
    expect(bus.listenerCount).toBe(1);
  });

  it('applies subscriptions made during a publish from the next publish', () => {
    const bus = new MemoryEventBus();
    const seen: string[] = [];
    bus.subscribe(() => {
      seen.push('outer');
      bus.subscribe(() => seen.push('inner'));
    });
    bus.publish(event(1));
    expect(seen).toEqual(['outer']);
    bus.publish(event(2));
    expect(seen).toEqual(['outer', 'outer', 'inner']);
  });

  it('delivers nothing after close', async () => {
    const bus = new MemoryEventBus();
    let calls = 0;
    bus.subscribe(() => {
      calls += 1;
    });
    await bus.close();
    bus.publish(event(1));
    bus.subscribe(() => {
      calls += 1;
    });
    bus.publish(event(2));
    expect(calls).toBe(0);
    expect(bus.listenerCount).toBe(0);
  });
});
