import { describe, expect, it } from 'vitest';
import { latest } from './load.js';

/** A promise with its resolve and reject functions. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('latest', () => {
  it('shows only the answer of the latest call when an older one arrives last', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let call = 0;
    const shown: string[] = [];
    const failed: unknown[] = [];
    const load = latest(
      () => (answers[call++] as (typeof answers)[number]).promise,
      (v) => shown.push(v),
      (e) => failed.push(e),
    );
    const first = load();
    const second = load();
    answers[1]?.resolve('new');
    await second;
    answers[0]?.resolve('old');
    await first;
    expect(shown).toEqual(['new']);
    expect(failed).toEqual([]);
  });

  it('hands the error of the latest call to fail, and drops a stale one', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let call = 0;
    const failed: unknown[] = [];
    const load = latest(
      () => (answers[call++] as (typeof answers)[number]).promise,
      () => {
        throw new Error('render failed');
      },
      (e) => failed.push(e instanceof Error ? e.message : e),
    );
    const first = load();
    const second = load();
    answers[0]?.reject(new Error('stale'));
    await first;
    expect(failed).toEqual([]);
    answers[1]?.resolve('x');
    await second;
    // An error thrown while showing the answer is reported like a failed request.
    expect(failed).toEqual(['render failed']);
  });
});
