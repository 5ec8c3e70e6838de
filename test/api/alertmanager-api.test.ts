/**
 * The Alertmanager API v2 subset against a real server: shapes and filters over HTTP, and the
 * real `amtool` (Debian's prometheus-alertmanager package) adding, querying and expiring
 * silences and querying alerts. The amtool cases skip with a printed reason when it is absent.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigil } from '../../src/server.js';
import { type CaptureReceiver, startCaptureReceiver } from '../helpers/capture-receiver.js';
import {
  del,
  get,
  normalSeries,
  post,
  sendLatency,
  startTestVigil,
  tempDir,
  waitFor,
} from '../helpers/vigil.js';
import { startVigilProcess } from '../helpers/vigil-process.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/vigil.js');
const AMTOOL = '/usr/bin/amtool';
const hasAmtool = existsSync(AMTOOL);
if (!hasAmtool)
  console.warn(`amtool cases skipped: ${AMTOOL} is missing (apt-get install -y prometheus-alertmanager)`);

const T0 = Date.UTC(2026, 0, 5);
const STEP = 60_000;

let vigil: RunningVigil;
let receiver: CaptureReceiver;
let cleanup: () => void;
let alertId = '';

const send = (service: string, samples: Array<{ t: number; v: number }>) =>
  sendLatency(vigil.url, service, 'GET:/x', samples);

/** Runs amtool against `url` (default the shared server); resolves with stdout (rejects on a non-zero exit). */
async function amtool(...args: string[]): Promise<string> {
  const { stdout } = await run(AMTOOL, [`--alertmanager.url=${vigil.url}`, ...args]);
  return stdout;
}

/** Creates an API key with `vigil keys create` (before the server starts); resolves with the key. */
async function createKey(dataDir: string, name: string, scopes: string): Promise<string> {
  const args = [BIN, 'keys', 'create', '--name', name, '--scopes', scopes, '--data-dir', dataDir];
  return (await run(process.execPath, args)).stdout.trim().split('\n').at(-1) as string;
}

beforeAll(async () => {
  receiver = await startCaptureReceiver();
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  vigil = await startTestVigil(tmp.dir, {
    'alerting.receivers': [{ name: 'ops', type: 'webhook', url: `${receiver.url}/hook` }],
  });
  await send('api', normalSeries(T0, 300, STEP));
  await send('api', [{ t: T0 + 300 * STEP, v: 5000 }]);
  alertId = (
    await waitFor(async () => {
      vigil.runtime.flush();
      return (await get(`${vigil.url}/api/alerts?service=api&status=firing`)).body.items[0];
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await vigil?.close();
  await receiver?.close();
  cleanup?.();
});

describe('Alertmanager API v2 over HTTP', () => {
  it('lists open alerts with Alertmanager labels, filtered by matchers', async () => {
    const all = await get(`${vigil.url}/api/v2/alerts`);
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(1);
    expect(all.body[0]).toMatchObject({
      labels: { alertname: 'vigil_spike', service: 'api', endpoint: 'GET:/x', metric: 'latency_ms' },
      annotations: { vigil_alert_id: alertId, vigil_status: 'firing' },
      endsAt: '0001-01-01T00:00:00.000Z',
      receivers: [{ name: 'ops' }],
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    });
    expect(Date.parse(all.body[0].startsAt)).toBe(T0 + 300 * STEP);
    const q = (filter: string) =>
      get(`${vigil.url}/api/v2/alerts?filter=${encodeURIComponent(filter)}`).then((r) => r.body.length);
    expect(await q('service="api"')).toBe(1);
    expect(await q('service=~"a.*"')).toBe(1);
    expect(await q('service!="api"')).toBe(0);
    const bad = await get(`${vigil.url}/api/v2/alerts?filter=${encodeURIComponent('no operator')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['query', 'filter', 0]);
  });

  it('creates, reads, replaces and expires silences in Alertmanager shapes, refusing bad ones', async () => {
    const now = Date.now();
    const body = {
      matchers: [{ name: 'service', value: 'other', isRegex: false, isEqual: true }],
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'ann',
      comment: 'maintenance',
    };
    const created = await post(`${vigil.url}/api/v2/silences`, body);
    expect(created.status).toBe(200);
    const id = created.body.silenceID as string;
    const one = await get(`${vigil.url}/api/v2/silence/${id}`);
    expect(one.body).toMatchObject({
      id,
      status: { state: 'active' },
      createdBy: 'ann',
      comment: 'maintenance',
    });
    expect(Date.parse(one.body.endsAt)).toBe(Date.parse(body.endsAt));
    // The same silence in Vigil's own API.
    expect((await get(`${vigil.url}/api/silences`)).body.items.map((s: any) => s.id)).toContain(id);
    // Replaced in place (same id), e.g. extended.
    const later = new Date(now + 7_200_000).toISOString();
    const replaced = await post(`${vigil.url}/api/v2/silences`, { ...body, id, endsAt: later });
    expect(replaced.body).toEqual({ silenceID: id });
    expect(Date.parse((await get(`${vigil.url}/api/v2/silence/${id}`)).body.endsAt)).toBe(Date.parse(later));
    const listed = await get(`${vigil.url}/api/v2/silences?filter=${encodeURIComponent('service="other"')}`);
    expect(listed.body.map((s: any) => s.id)).toEqual([id]);

    const past = await post(`${vigil.url}/api/v2/silences`, {
      ...body,
      endsAt: new Date(now - 1000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.body.issues[0].path).toEqual(['endsAt']);
    const badTime = await post(`${vigil.url}/api/v2/silences`, { ...body, startsAt: 'yesterday' });
    expect(badTime.status).toBe(400);
    expect(badTime.body.issues[0].path).toEqual(['startsAt']);
    expect((await post(`${vigil.url}/api/v2/silences`, { ...body, id: 'nope' })).status).toBe(404);

    expect((await del(`${vigil.url}/api/v2/silence/${id}`)).status).toBe(200);
    expect((await get(`${vigil.url}/api/v2/silence/${id}`)).body.status.state).toBe('expired');
    expect((await del(`${vigil.url}/api/v2/silence/${id}`)).status).toBe(409);
    expect((await del(`${vigil.url}/api/v2/silence/nope`)).status).toBe(404);
  });
});

describe.skipIf(!hasAmtool)('amtool against Vigil', () => {
  it('adds a silence that mutes the open alert, queries both, and expires it', async () => {
    const id = (
      await amtool('silence', 'add', 'service=api', '--duration=1h', '--author=bob', '--comment=reindex')
    ).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const silences = JSON.parse(await amtool('silence', 'query', '-o', 'json'));
    const s = silences.find((x: any) => x.id === id);
    expect(s).toMatchObject({ createdBy: 'bob', comment: 'reindex', status: { state: 'active' } });
    expect(s.matchers).toEqual([{ name: 'service', value: 'api', isRegex: false, isEqual: true }]);
    expect(await amtool('silence', 'query', '-q', 'service=api')).toContain(id);

    const alerts = JSON.parse(await amtool('alert', 'query', '--silenced', '-o', 'json', 'service=api'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].status).toEqual({ state: 'suppressed', silencedBy: [id], inhibitedBy: [] });
    // Without --silenced, amtool asks for unsilenced alerts only.
    expect(JSON.parse(await amtool('alert', 'query', '-o', 'json', 'service=api'))).toEqual([]);

    await amtool('silence', 'expire', id);
    const after = (await get(`${vigil.url}/api/silences`)).body.items.find((x: any) => x.id === id);
    expect(after.state).toBe('expired');
    expect(JSON.parse(await amtool('alert', 'query', '-o', 'json', 'service=api'))).toHaveLength(1);
  }, 30_000);

  it('with authentication on, needs an API key with the write scope, given through its HTTP config', async () => {
    const tmp = tempDir();
    try {
      const dataDir = join(tmp.dir, 'data');
      const key = await createKey(dataDir, 'amtool', 'read,write');
      const reader = await createKey(dataDir, 'viewer', 'read');
      const configFile = join(tmp.dir, 'vigil.json');
      writeFileSync(
        configFile,
        JSON.stringify({
          alerting: { receivers: [{ name: 'ops', type: 'webhook', url: `${receiver.url}/hook` }] },
        }),
      );
      const http = (k: string) => {
        const file = join(tmp.dir, `http-${k.slice(0, 12)}.yml`);
        writeFileSync(file, `authorization:\n  credentials: ${k}\n`);
        return `--http.config.file=${file}`;
      };
      const server = await startVigilProcess({
        dataDir,
        configFile,
        env: { VIGIL_AUTH: '1', VIGIL_ADMIN_PASSWORD: 'a-long-enough-admin-password' },
      });
      try {
        const am = (...args: string[]) => run(AMTOOL, [`--alertmanager.url=${server.url}`, ...args]);
        await expect(am('silence', 'query')).rejects.toMatchObject({ stderr: expect.stringMatching(/401/) });
        const add = ['silence', 'add', 'service=api', '--duration=1h', '--comment=x'];
        await expect(am(http(reader), ...add)).rejects.toMatchObject({
          stderr: expect.stringMatching(/403/),
        });
        const id = (await am(http(key), ...add)).stdout.trim();
        expect((await am(http(reader), 'silence', 'query', '-q')).stdout.trim()).toBe(id);
      } finally {
        await server.stop();
      }
    } finally {
      tmp.cleanup();
    }
  }, 60_000);
});
