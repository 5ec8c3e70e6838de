/**
 * Server-side request forgery guard for outgoing notifications (webhook receivers).
 *
 * A URL is refused when its scheme is not http(s), when its host is an address that only the
 * server's own network can reach (see `ip-ranges.ts`; the WHATWG URL parser first folds
 * `127.1`, `0x7f000001`, `2130706433`, `017700000001` … into dotted quads), or when its DNS
 * name resolves to such an address. The check runs inside the socket's `lookup`, on every
 * address DNS returns, and the connection goes to the address that was checked: a DNS answer
 * that changes between check and connect (rebinding) cannot slip through. Redirects are never
 * followed; a 3xx is returned to the caller as it is.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { blockedAddressReason } from './ip-ranges.js';

/**
 * Scheme and host of a URL, without user info, path or query (which may carry tokens: the
 * message ends up in delivery records and logs).
 */
export function urlOrigin(url: string): string {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : u.protocol;
  } catch {
    return '[invalid url]';
  }
}

/** A destination the guard refused; `reason` says which rule. Never holds the URL's path or query. */
export class SsrfError extends Error {
  override readonly name = 'SsrfError';
  /** Scheme and host of the refused URL. */
  readonly destination: string;
  constructor(
    url: string,
    readonly reason: string,
  ) {
    const destination = urlOrigin(url);
    super(`refused to send to ${destination}: ${reason}`);
    this.destination = destination;
  }
}

export interface SsrfOptions {
  /** Allow loopback, private and link-local destinations (config `security.allowPrivateReceivers`). */
  readonly allowPrivate?: boolean;
}

/** Hosts refused by name, before any DNS lookup. */
function blockedHostName(host: string): string | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return 'loopback name (localhost)';
  if (h === '' || h.includes('%')) return 'empty or encoded host';
  return null;
}

/**
 * Checks what can be checked without DNS: scheme, and a host that is an IP literal or a
 * loopback name.
 * @returns the parsed URL
 * @throws {SsrfError} naming the rule that refused it
 * @example checkUrl('http://0x7f000001/') // throws: IPv4 loopback, 127.0.0.0/8
 */
export function checkUrl(input: string | URL, options: SsrfOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new SsrfError(String(input), 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SsrfError(url.href, `scheme ${url.protocol} is not allowed (http and https only)`);
  if (options.allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const byName = blockedHostName(host);
  if (byName) throw new SsrfError(url.href, byName);
  if (isIP(host) !== 0) {
    const reason = blockedAddressReason(host);
    if (reason) throw new SsrfError(url.href, reason);
  }
  return url;
}

/**
 * A `lookup` for sockets that resolves with `dns.lookup` and fails when any returned address
 * is refused (a name with one private address among public ones is refused as a whole).
 */
export function guardedLookup(url: string, options: SsrfOptions = {}): LookupFunction {
  return (hostname, opts, callback) => {
    dnsLookup(
      hostname,
      { all: true, verbatim: true, family: opts.family ?? 0 },
      (err, addresses: LookupAddress[]) => {
        if (err) return callback(err, '', 0);
        if (addresses.length === 0) return callback(new SsrfError(url, `${hostname} has no address`), '', 0);
        if (!options.allowPrivate) {
          for (const a of addresses) {
            const reason = blockedAddressReason(a.address);
            if (reason)
              return callback(new SsrfError(url, `${hostname} resolves to ${a.address}: ${reason}`), '', 0);
          }
        }
        if ((opts as { all?: boolean }).all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        const first = addresses[0] as LookupAddress;
        return callback(null, first.address, first.family);
      },
    );
  };
}

/** The subset of `RequestInit` that {@link safeFetch} honours. */
export interface SafeFetchInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
  /** Ignored: redirects are never followed (a 3xx response is returned as it is). */
  readonly redirect?: 'manual' | 'error' | 'follow';
}

export interface SafeFetchOptions extends SsrfOptions {
  /** Response bytes read at most; the rest is discarded (default 1 MiB). */
  readonly maxResponseBytes?: number;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * `fetch` for untrusted destinations: same call shape, a standard `Response`, but the URL and
 * every resolved address are checked (see module comment) and redirects are not followed.
 * @throws {SsrfError} when the destination is refused (no connection is made)
 * @throws the network error or `AbortError` otherwise, as `fetch` does
 * @example await safeFetch('http://169.254.169.254/latest/meta-data/') // throws SsrfError
 */
export function safeFetch(
  input: string | URL,
  init: SafeFetchInit = {},
  options: SafeFetchOptions = {},
): Promise<Response> {
  let url: URL;
  try {
    url = checkUrl(input, options);
  } catch (err) {
    return Promise.reject(err);
  }
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    if (init.signal?.aborted) return reject(init.signal.reason);
    const req = client.request(url, {
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      lookup: guardedLookup(url.href, options),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size >= maxBytes) return;
        chunks.push(c.subarray(0, maxBytes - size));
        size += c.length;
        if (size >= maxBytes) res.destroy();
      });
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const x of v) headers.append(k, x);
          else if (v !== undefined) headers.set(k, v);
        }
        const status = res.statusCode ?? 502;
        try {
          const body = NULL_BODY.has(status) ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers }));
        } catch (err) {
          reject(err);
        }
      };
      res.on('end', finish);
      res.on('close', () => {
        if (!res.complete && size < maxBytes && !done) {
          done = true;
          reject(new Error('the response ended early'));
        } else finish();
      });
      res.on('error', reject);
    });
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}
