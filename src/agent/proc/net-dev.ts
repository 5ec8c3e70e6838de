import { field, ProcParseError } from './errors.js';

/** Cumulative byte counters of network interfaces, bytes. */
export interface NetTotals {
  readonly rxBytes: number;
  readonly txBytes: number;
}

const FILE = '/proc/net/dev';

/**
 * Parses /proc/net/dev into per-interface cumulative byte counters.
 * Layout per line: `iface: rx_bytes rx_packets … (8 rx fields) tx_bytes …`.
 * @throws {ProcParseError} when an interface line has fewer than 9 numeric fields.
 * @example parseNetDev(text).get('eth0') // { rxBytes: 294150527, txBytes: 841131 }
 */
export function parseNetDev(text: string): Map<string, NetTotals> {
  const out = new Map<string, NetTotals>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.includes('|')) continue; // the two header lines
    const name = line.slice(0, colon).trim();
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    if (f.length < 9)
      throw new ProcParseError(FILE, `interface ${name}: expected ≥ 9 fields, got ${f.length}`);
    out.set(name, {
      rxBytes: field(FILE, f, 0, `${name} rx_bytes`),
      txBytes: field(FILE, f, 8, `${name} tx_bytes`),
    });
  }
  return out;
}

/**
 * Sums the counters of every interface except the loopback `lo`.
 * @example sumNonLoopback(parseNetDev(text)) // { rxBytes, txBytes } over eth0, wlan0, …
 */
export function sumNonLoopback(ifaces: ReadonlyMap<string, NetTotals>): NetTotals {
  let rxBytes = 0;
  let txBytes = 0;
  for (const [name, t] of ifaces) {
    if (name === 'lo') continue;
    rxBytes += t.rxBytes;
    txBytes += t.txBytes;
  }
  return { rxBytes, txBytes };
}
