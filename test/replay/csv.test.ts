import { afterEach, describe, expect, it } from 'vitest';
import { parseUtcTimestamp, ReplayError, readRows } from '../../src/replay/index.js';
import { T0, type TempCsv, tempCsv } from './csv-files.js';

describe('parseUtcTimestamp', () => {
  it('reads NAB naive timestamps as UTC', () => {
    expect(parseUtcTimestamp('2014-02-14 14:30:00')).toBe(T0);
    expect(parseUtcTimestamp('2014-02-14 14:30:00.000000')).toBe(T0);
    expect(parseUtcTimestamp('2014-02-14T14:30:00.250')).toBe(T0 + 250);
    expect(parseUtcTimestamp('2014-02-14 14:30')).toBe(T0);
  });

  it('honours an explicit zone', () => {
    expect(parseUtcTimestamp('2014-02-14T15:30:00+01:00')).toBe(T0);
    expect(parseUtcTimestamp('2014-02-14T14:30:00Z')).toBe(T0);
  });

  it('rejects impossible dates and other formats', () => {
    for (const bad of [
      '2014-02-30 00:00:00',
      '2014-02-14 24:00:00',
      '2014-02-14 10:60:00',
      '14/02/2014',
      '1392388200',
    ]) {
      expect(() => parseUtcTimestamp(bad), bad).toThrow(ReplayError);
    }
  });
});

describe('readRows', () => {
  let files: TempCsv | undefined;
  afterEach(() => files?.remove());

  it('streams rows in file order, skipping the header and blank lines, with line numbers', async () => {
    files = tempCsv();
    const path = files.raw(
      'a.csv',
      'timestamp,value\n2014-02-14 14:35:00,2.5\n\n2014-02-14 14:30:00,-1e3\r\n',
    );
    const rows = [];
    for await (const r of readRows(path)) rows.push(r);
    expect(rows).toEqual([
      { t: T0 + 300_000, value: 2.5, line: 2 },
      { t: T0, value: -1000, line: 4 },
    ]);
  });

  it('names file and line of a bad row', async () => {
    files = tempCsv();
    const path = files.raw('b.csv', 'timestamp,value\n2014-02-14 14:30:00,1\n2014-02-14 14:35:00,abc\n');
    const rows: number[] = [];
    const consume = async (): Promise<void> => {
      for await (const r of readRows(path)) rows.push(r.value);
    };
    await expect(consume()).rejects.toThrow(`${path}:3: value "abc" is not a number`);
    expect(rows).toEqual([1]);
    const bad = files.raw('c.csv', 'timestamp,value\n2014-13-01 00:00:00,1\n');
    await expect(readRows(bad).next()).rejects.toThrow(/c\.csv:2: impossible date/);
  });

  it('throws ReplayError for a missing file', async () => {
    await expect(readRows('/nonexistent/x.csv').next()).rejects.toThrow(ReplayError);
  });
});
