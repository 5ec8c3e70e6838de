/**
 * Classification of IP addresses that a server-side request must not reach: loopback,
 * unspecified, private (RFC 1918, RFC 4193), shared (RFC 6598), link-local (incl. the cloud
 * metadata address 169.254.169.254), multicast, documentation and reserved ranges, and IPv6
 * forms that embed an IPv4 address (IPv4-mapped `::ffff:0:0/96`, IPv4-compatible `::/96`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`), whose embedded address is classified in turn.
 * Ranges follow the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890).
 */
import { isIP } from 'node:net';

/** Parses a dotted-quad IPv4 address to an unsigned 32-bit number, or null. */
export function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** Parses an IPv6 address (with optional zone and trailing dotted quad) to 8 hextets, or null. */
export function parseIPv6(input: string): number[] | null {
  let s = input.replace(/%.*$/, '');
  if (isIP(s) !== 6) return null;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIPv4(last);
    if (v4 === null) return null;
    tail.push(v4 >>> 16, v4 & 0xffff);
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = s.split('::');
  const hex = (part: string) => (part === '' ? [] : part.split(':').map((h) => Number.parseInt(h, 16)));
  const a = hex(head);
  const b = rest === undefined ? [] : hex(rest);
  const zeros = rest === undefined ? 0 : 8 - a.length - b.length;
  const words = [...a, ...new Array<number>(zeros).fill(0), ...b];
  if (words.length !== 8 || words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff)) return null;
  if (tail.length === 2) words.splice(6, 2, tail[0] as number, tail[1] as number);
  return words;
}

type V4Range = readonly [base: string, bits: number, reason: string];

const V4_BLOCKED: readonly V4Range[] = [
  ['0.0.0.0', 8, 'unspecified / this network'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'shared address space (RFC 6598)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved / broadcast'],
];

const V4_TABLE = V4_BLOCKED.map(([base, bits, reason]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { net: ((parseIPv4(base) as number) & mask) >>> 0, mask, reason, cidr: `${base}/${bits}` };
});

/** Why an IPv4 address (as a 32-bit number) is refused, or null when it is a public address. */
export function blockedIPv4Reason(n: number): string | null {
  for (const r of V4_TABLE) if ((n & r.mask) >>> 0 === r.net) return `${r.reason}, ${r.cidr}`;
  return null;
}

const v4FromWords = (hi: number, lo: number): number => ((hi << 16) >>> 0) + lo;

/** Why an IPv6 address (8 hextets) is refused, or null when public. */
export function blockedIPv6Reason(w: readonly number[]): string | null {
  const [w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0] = w;
  const firstFiveZero = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0;
  if (firstFiveZero && w5 === 0 && w6 === 0 && w7 === 0) return 'unspecified, ::/128';
  if (firstFiveZero && w5 === 0 && w6 === 0 && w7 === 1) return 'loopback, ::1/128';
  const embedded = (what: string, hi: number, lo: number) => {
    const inner = blockedIPv4Reason(v4FromWords(hi, lo));
    return inner === null ? null : `${what} of ${inner}`;
  };
  if (firstFiveZero && w5 === 0xffff) return embedded('IPv4-mapped form', w6, w7);
  if (firstFiveZero && w5 === 0)
    return embedded('IPv4-compatible form', w6, w7) ?? 'IPv4-compatible (deprecated), ::/96';
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0)
    return embedded('NAT64 form', w6, w7);
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 1) return 'local-use NAT64, 64:ff9b:1::/48';
  if (w0 === 0x2002) return embedded('6to4 form', w1, w2);
  if (w0 === 0x2001 && w1 === 0) return 'Teredo (hides an IPv4 address), 2001::/32';
  if (w0 === 0x2001 && w1 === 0xdb8) return 'documentation, 2001:db8::/32';
  if (w0 === 0x100 && w1 === 0 && w2 === 0 && w3 === 0) return 'discard-only, 100::/64';
  if ((w0 & 0xfe00) === 0xfc00) return 'unique local (private), fc00::/7';
  if ((w0 & 0xffc0) === 0xfe80) return 'link-local, fe80::/10';
  if ((w0 & 0xffc0) === 0xfec0) return 'site-local (deprecated), fec0::/10';
  if ((w0 & 0xff00) === 0xff00) return 'multicast, ff00::/8';
  return null;
}

/**
 * Why an IP address literal must not be reached, or null when it is public.
 * @param address IPv4 dotted quad or IPv6 (brackets and zone allowed)
 * @returns a reason such as `"loopback, 127.0.0.0/8"`; `"not an IP address"` for anything else
 * @example blockedAddressReason('::ffff:7f00:1') // 'IPv4-mapped form of loopback, 127.0.0.0/8'
 */
export function blockedAddressReason(address: string): string | null {
  const a = address.replace(/^\[|\]$/g, '');
  const v4 = parseIPv4(a);
  if (v4 !== null) return blockedIPv4Reason(v4);
  const v6 = parseIPv6(a);
  if (v6 !== null) return blockedIPv6Reason(v6);
  return 'not an IP address';
}
