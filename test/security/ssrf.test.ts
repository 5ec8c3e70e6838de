import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedAddressReason } from '../../src/security/ip-ranges.js';
import { checkUrl, SsrfError, safeFetch } from '../../src/security/ssrf.js';

/** A loopback HTTP server that counts every request it receives. */
function canary(): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end('canary');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, hits }),
    );
  });
}

describe('SSRF guard', () => {
  let c: Awaited<ReturnType<typeof canary>>;
  beforeAll(async () => {
    c = await canary();
  });
  afterAll(() => new Promise<void>((r) => c.server.close(() => r())));

  const vectors = (p: number): string[] => [
    // schemes
    'file:///etc/passwd',
    `gopher://127.0.0.1:${p}/_GET%20/`,
    `ftp://127.0.0.1:${p}/`,
    'data:text/plain,hello',
    'javascript:alert(1)',
    `dict://127.0.0.1:${p}/`,
    `ws://127.0.0.1:${p}/`,
    // loopback in every spelling
    `http://127.0.0.1:${p}/`,
    `http://127.1:${p}/`,
    `http://127.0.1:${p}/`,
    `http://0x7f000001:${p}/`,
    `http://0x7f.0.0.1:${p}/`,
    `http://2130706433:${p}/`,
    `http://017700000001:${p}/`,
    `http://0177.0.0.1:${p}/`,
    `http://127.000.000.001:${p}/`,
    `http://127.255.255.254:${p}/`,
    `http://localhost:${p}/`,
    `http://LOCALHOST:${p}/`,
    `http://localhost.:${p}/`,
    `http://app.localhost:${p}/`,
    `http://%6c%6fcalhost:${p}/`,
    `http://[::1]:${p}/`,
    `http://[0:0:0:0:0:0:0:1]:${p}/`,
    `http://[::ffff:127.0.0.1]:${p}/`,
    `http://[::ffff:7f00:1]:${p}/`,
    `http://[0:0:0:0:0:ffff:127.0.0.1]:${p}/`,
    `http://[::127.0.0.1]:${p}/`,
    `http://[64:ff9b::127.0.0.1]:${p}/`,
    `http://[2002:7f00:1::]:${p}/`,
    `http://0.0.0.0:${p}/`,
    `http://0:${p}/`,
    `http://[::]:${p}/`,
    `http://user:pw@127.0.0.1:${p}/`,
    `http://example.com@127.0.0.1:${p}/`,
    // link-local and cloud metadata
    'http://169.254.169.254/latest/meta-data/',
    'http://0xa9fea9fe/latest/meta-data/',
    'http://2852039166/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fe80::1]/',
    'http://[fe80::1%25eth0]/',
    'http://[febf::1]/',
    // private ranges
    'http://10.0.0.1/',
    'http://10.255.255.255/',
    'http://172.16.0.1/',
    'http://172.31.255.254/',
    'http://192.168.0.1/',
    'http://192.168.255.255/',
    'http://100.64.0.1/',
    'http://100.127.255.254/',
    'http://[fc00::1]/',
    'http://[fd12:3456:789a::1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://[::ffff:192.168.1.1]/',
    'http://[64:ff9b::10.0.0.1]/',
    // other special ranges
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[ff02::1]/',
    'http://198.18.0.1/',
    // DNS names that resolve to loopback (/etc/hosts)
    `http://runsc:${p}/`,
    `http://vm:${p}/`,
    'not a url',
  ];

  it('refuses at least 40 vectors and none of them reaches the canary', async () => {
    const list = vectors(c.port);
    expect(list.length).toBeGreaterThanOrEqual(40);
    const outcomes = await Promise.all(
      list.map(async (v) => {
        try {
          await safeFetch(v, { method: 'POST', body: '{}', signal: AbortSignal.timeout(3000) });
          return `${v}: ALLOWED`;
        } catch (err) {
          return err instanceof SsrfError ? 'refused' : `${v}: ${(err as Error).message}`;
        }
      }),
    );
    expect(outcomes.filter((o) => o !== 'refused')).toEqual([]);
    expect(c.hits).toEqual([]);
  });

  it('never puts the path or query of a refused URL (which may hold a token) in the error', async () => {
    const err = await safeFetch('http://127.0.0.1:1/hook/T0KEN?token=s3cret').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsrfError);
    expect(String((err as Error).message)).toBe(
      'refused to send to http://127.0.0.1:1: loopback, 127.0.0.0/8',
    );
    expect(JSON.stringify(err)).not.toMatch(/s3cret|T0KEN/);
  });

  it('names the rule that refused a URL', () => {
    expect(() => checkUrl('http://0x7f000001/')).toThrow(/loopback, 127.0.0.0\/8/);
    expect(() => checkUrl('http://169.254.169.254/')).toThrow(/link-local/);
    expect(() => checkUrl('gopher://x/')).toThrow(/scheme gopher:/);
    expect(blockedAddressReason('::ffff:7f00:1')).toBe('IPv4-mapped form of loopback, 127.0.0.0/8');
  });

  it('refuses a DNS name when it resolves to a private address', async () => {
    await expect(safeFetch(`http://runsc:${c.port}/`)).rejects.toThrow(/resolves to 127.0.0.1/);
    expect(c.hits).toEqual([]);
  });

  it('allows public addresses and lets the canary be reached when private targets are allowed', async () => {
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      '93.184.216.34',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
    ]) {
      expect(blockedAddressReason(ip), ip).toBeNull();
    }
    const res = await safeFetch(`http://127.0.0.1:${c.port}/ok`, {}, { allowPrivate: true });
    expect(await res.text()).toBe('canary');
    expect(c.hits).toEqual(['GET /ok']);
    c.hits.length = 0;
  });

  it('does not follow a redirect to a private address', async () => {
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${c.port}/stolen` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (redirector.address() as AddressInfo).port;
      // The first hop is allowed explicitly (it stands in for a public receiver); the hop it points to is not taken.
      const res = await safeFetch(
        `http://127.0.0.1:${port}/`,
        { redirect: 'follow' },
        { allowPrivate: true },
      );
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toContain('/stolen');
      expect(c.hits).toEqual([]);
    } finally {
      await new Promise<void>((r) => redirector.close(() => r()));
    }
  });
});
