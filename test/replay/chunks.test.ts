import { describe, expect, it } from 'vitest';
import { chunkRows, type Row } from '../../src/replay/index.js';

async function* rows(n: number): AsyncGenerator<Row> {
  for (let i = 0; i < n; i++) yield { t: i * 1000, value: i, line: i + 2 };
}

async function sizes(gen: AsyncGenerator<Row[]>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const c of gen) out.push(c.map((r) => r.value));
  return out;
}

describe('chunkRows', () => {
  it('cuts at batchSize, keeping order and every row', async () => {
    const got = await sizes(chunkRows(rows(1203), 500));
    expect(got.map((c) => c.length)).toEqual([500, 500, 203]);
    expect(got.flat()).toEqual(Array.from({ length: 1203 }, (_, i) => i));
  });

  it('also cuts where split says so, and yields nothing for no rows', async () => {
    // A new chunk whenever the row is more than 2.5 s after the chunk's first row.
    expect(await sizes(chunkRows(rows(7), 100, (head, row) => row.t - head.t > 2500))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6],
    ]);
    expect(await sizes(chunkRows(rows(0), 10))).toEqual([]);
  });
});
