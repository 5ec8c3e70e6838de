/**
 * Compact form of normalized ingest items for the ingest log.
 *
 * A batch of samples repeats the same few strings (service, endpoint, metric, kind) and usually
 * the same timestamp in every item; as plain JSON each sample costs ~130 bytes, most of it keys
 * and repeated strings. The compact form stores each distinct string and time once per record
 * and a sample as a short array of indexes:
 *
 * ```text
 * { "s": [strings], "t": [times], "l": [label sets], "i": [item, …] }
 * sample without labels/range: [kindIdx, serviceIdx, endpointIdx, metricIdx, timeIdx, value]
 * sample with labels and/or range: the same, then labelsIdx (-1: none), then low, high (only with a range)
 * any other item (request, log): the item object itself
 * ```
 *
 * {@link decodeItems} gives back items equal to the encoded ones (same fields, same order of
 * items), so replaying the log applies exactly what was applied live.
 */
import type { Labels, SeriesKind } from '../model/types.js';
import type { IngestItem, SampleItem } from './items.js';

/** The compact form of a list of items (JSON-serializable). */
export interface EncodedItems {
  /** Distinct strings. */
  readonly s: string[];
  /** Distinct event times, Unix ms. */
  readonly t: number[];
  /** Distinct non-empty label sets. */
  readonly l: Labels[];
  /** Items: samples as index arrays, others as they are. */
  readonly i: Array<readonly number[] | IngestItem>;
}

/** Encodes items compactly (see the module comment). */
export function encodeItems(items: readonly IngestItem[]): EncodedItems {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const times: number[] = [];
  const timeIndex = new Map<number, number>();
  const labelSets: Labels[] = [];
  const labelIndex = new Map<Labels, number>();
  const str = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      stringIndex.set(s, i);
    }
    return i;
  };
  const out: Array<readonly number[] | IngestItem> = [];
  for (const item of items) {
    if (item.k !== 'sample') {
      out.push(item);
      continue;
    }
    let ti = timeIndex.get(item.t);
    if (ti === undefined) {
      ti = times.push(item.t) - 1;
      timeIndex.set(item.t, ti);
    }
    const row = [str(item.kind), str(item.service), str(item.endpoint), str(item.metric), ti, item.v];
    let li = -1;
    if (!isEmpty(item.labels)) {
      li = labelIndex.get(item.labels) ?? -1;
      if (li === -1) {
        li = labelSets.push(item.labels) - 1;
        labelIndex.set(item.labels, li);
      }
    }
    if (li !== -1 || item.range !== undefined) row.push(li);
    if (item.range !== undefined) row.push(item.range[0], item.range[1]);
    out.push(row);
  }
  return { s: strings, t: times, l: labelSets, i: out };
}

/**
 * The items of an {@link encodeItems} result (as read back from JSON).
 * @throws {RangeError} when an index is out of range (a corrupt record)
 */
export function decodeItems(encoded: EncodedItems): IngestItem[] {
  const { s, t, l } = encoded;
  const at = <T>(list: readonly T[], i: number | undefined, what: string): T => {
    const v = i === undefined ? undefined : list[i];
    if (v === undefined) throw new RangeError(`ingest log item refers to a missing ${what} (${i})`);
    return v;
  };
  return encoded.i.map((row): IngestItem => {
    if (!Array.isArray(row)) return row as IngestItem;
    const li = row[6];
    const item: SampleItem = {
      k: 'sample',
      kind: at(s, row[0], 'string') as SeriesKind,
      service: at(s, row[1], 'string'),
      endpoint: at(s, row[2], 'string'),
      metric: at(s, row[3], 'string'),
      labels: li === undefined || li === -1 ? {} : at(l, li, 'label set'),
      t: at(t, row[4], 'time'),
      v: row[5] as number,
    };
    return row.length > 7 ? { ...item, range: [row[7] as number, row[8] as number] } : item;
  });
}

function isEmpty(labels: Labels): boolean {
  for (const _ in labels) return false;
  return true;
}
