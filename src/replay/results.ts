/** Reading back what the server concluded about replayed series: series, anomalies, alerts. */
import { getJson, type HttpOptions } from './http.js';
import type { ReplayAlert, ReplayAnomaly } from './report.js';

interface SeriesLite {
  readonly id: string;
  readonly endpoint: string;
  readonly metric: string;
  readonly lastSeen: number;
}

interface Page {
  readonly total?: number;
  readonly items?: unknown[];
}

/** Page size of list queries. */
const PAGE = 500;

function query(params: Record<string, string | number>): string {
  return new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
}

/** GETs every page of a `{total, items}` list. */
async function listAll(base: string, path: string, params: Record<string, string | number>, o: HttpOptions) {
  const out: unknown[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = (await getJson(`${base}${path}?${query({ ...params, limit: PAGE, offset })}`, o)) as Page;
    const items = page.items ?? [];
    out.push(...items);
    if (items.length < PAGE || (page.total !== undefined && out.length >= page.total)) return out;
  }
}

/** The `value` series of `service`/`endpoint`, or null when the server does not know it (yet). */
export async function findSeries(
  base: string,
  service: string,
  endpoint: string,
  o: HttpOptions,
): Promise<SeriesLite | null> {
  const page = (await getJson(
    `${base}/api/series?${query({ service, endpoint, metric: 'value', limit: 10 })}`,
    o,
  )) as Page;
  const items = (page.items ?? []) as SeriesLite[];
  return items.find((s) => s.endpoint === endpoint && s.metric === 'value') ?? null;
}

/**
 * Polls until the server shows, for each file, a series whose last event time reached the file's last row
 * (ingest may process asynchronously after its 202), or until `timeoutMs` passes.
 * @returns the series found per endpoint, and whether all of them caught up
 */
export async function awaitSeries(
  base: string,
  service: string,
  expected: ReadonlyArray<{ readonly endpoint: string; readonly lastT: number | null }>,
  timeoutMs: number,
  o: HttpOptions,
): Promise<{ settled: boolean; series: Map<string, SeriesLite> }> {
  const deadline = performance.now() + timeoutMs;
  const series = new Map<string, SeriesLite>();
  for (;;) {
    let pending = 0;
    for (const { endpoint, lastT } of expected) {
      if (lastT === null) continue;
      const known = series.get(endpoint);
      if (known && known.lastSeen >= lastT) continue;
      const s = await findSeries(base, service, endpoint, o);
      if (s) series.set(endpoint, s);
      if (!s || s.lastSeen < lastT) pending++;
    }
    if (pending === 0) return { settled: true, series };
    if (performance.now() > deadline) return { settled: false, series };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Anomalies of one series (by id when known, else by service and endpoint), oldest first. */
export async function fetchAnomalies(
  base: string,
  service: string,
  endpoint: string,
  seriesId: string | null,
  o: HttpOptions,
): Promise<ReplayAnomaly[]> {
  const params = seriesId === null ? { service } : { service, seriesId };
  const items = (await listAll(base, '/api/anomalies', params, o)) as Array<
    ReplayAnomaly & Record<string, unknown>
  >;
  return items
    .filter((a) =>
      seriesId === null ? a.endpoint === endpoint && a.metric === 'value' : a.seriesId === seriesId,
    )
    .map((a) => ({ t: a.t, value: a.value, score: a.score, type: a.type, severity: a.severity }))
    .sort((a, b) => a.t - b.t);
}

/** Every alert of `service`, newest first as served. */
export async function fetchAlerts(
  base: string,
  service: string,
  o: HttpOptions,
): Promise<Array<Record<string, unknown>>> {
  return (await listAll(base, '/api/alerts', { service }, o)) as Array<Record<string, unknown>>;
}

/** The alerts of one series among `all`, oldest first, reduced to the report's fields. */
export function alertsOf(
  all: ReadonlyArray<Record<string, unknown>>,
  endpoint: string,
  seriesId: string | null,
): ReplayAlert[] {
  return all
    .filter((a) =>
      seriesId === null ? a.endpoint === endpoint && a.metric === 'value' : a.seriesId === seriesId,
    )
    .map((a) => {
      const x = a as unknown as ReplayAlert;
      return {
        id: x.id,
        startsAt: x.startsAt,
        lastAnomalyAt: x.lastAnomalyAt,
        resolvedAt: x.resolvedAt,
        status: x.status,
        severity: x.severity,
        anomalyCount: x.anomalyCount,
        maxScore: x.maxScore,
        type: x.type,
      };
    })
    .sort((a, b) => a.startsAt - b.startsAt);
}
