/**
 * Per-service heat strip: one row per service, one cell per 10-minute bucket over the last
 * 6 hours. When the server reports points per bucket, a cell's colour is the anomaly rate
 * (anomalies / points, saturating at 20 %); otherwise it is the anomaly count relative to
 * the busiest bucket shown. Exact figures are in each cell's tooltip and accessible label.
 */
import type { Stats } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { fmtClock, fmtPct } from '../lib/format.js';
import { href } from '../lib/router.js';

/** Bucket width of `/api/stats` (10 min) and span of the strip (6 h), ms. */
const BUCKET_MS = 10 * 60_000;
const SPAN_MS = 6 * 3600_000;

/**
 * Renders the strip for `rows` (from `GET /api/stats`; buckets may be sparse).
 * @param now - wall time, Unix ms, that ends the strip.
 * @returns a scrollable table, or a paragraph saying there is no anomaly yet.
 */
export function heatStrip(rows: Stats['anomalyRatePerService'], now = Date.now()): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No anomalies in the last 6 hours.');
  const start = Math.floor((now - SPAN_MS) / BUCKET_MS) * BUCKET_MS;
  const times: number[] = [];
  for (let t = start; t <= now; t += BUCKET_MS) times.push(t);
  let maxAnomalies = 1;
  for (const r of rows) for (const b of r.buckets) maxAnomalies = Math.max(maxAnomalies, b.anomalies);
  const head = h(
    'tr',
    null,
    h('th', { scope: 'col' }, 'Service'),
    ...hourGroups(times).map(([t, span]) =>
      h(
        'th',
        { scope: 'colgroup', colspan: span, class: 'heat-time' },
        t % 3600_000 === 0 && span >= 3 ? fmtClock(t) : '',
      ),
    ),
  );
  const body = [...rows]
    .sort((a, b) => a.service.localeCompare(b.service))
    .map((row) => {
      const byT = new Map(row.buckets.map((b) => [b.t, b] as const));
      return h(
        'tr',
        null,
        h(
          'th',
          { scope: 'row', class: 'heat-service' },
          h(
            'a',
            { href: href(['anomalies'], { service: row.service, range: '6h' }), title: row.service },
            row.service,
          ),
        ),
        ...times.map((t) => {
          const b = byT.get(t);
          const anomalies = b?.anomalies ?? 0;
          const points = b?.points;
          const when = `${row.service}, ${fmtClock(t)}–${fmtClock(t + BUCKET_MS)}`;
          let level: number;
          let label: string;
          if (points !== undefined && points > 0) {
            const rate = anomalies / points;
            level = anomalies === 0 ? 0 : 0.25 + 0.75 * Math.min(1, rate / 0.2);
            label = `${when}: ${anomalies} anomalies in ${points} points (${fmtPct(rate)})`;
          } else {
            level = anomalies === 0 ? 0 : 0.25 + 0.75 * (anomalies / maxAnomalies);
            label = `${when}: ${anomalies} ${anomalies === 1 ? 'anomaly' : 'anomalies'}`;
          }
          const cell = h('td', {
            class: 'heat-cell',
            title: label,
            'aria-label': label,
            'data-anomalies': anomalies,
          });
          // Through the CSSOM, not a `style` attribute: the strict CSP (style-src 'self') refuses those.
          cell.style.setProperty('--heat', level.toFixed(3));
          return cell;
        }),
      );
    });
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'heat', 'data-testid': 'heat-strip' },
      h('caption', { class: 'sr-only' }, 'Anomalies per service in 10-minute buckets, last 6 hours'),
      h('thead', null, head),
      h('tbody', null, ...body),
    ),
  );
}

/** Groups bucket times into runs that start on the hour: `[first t, length]` pairs. */
function hourGroups(times: readonly number[]): [number, number][] {
  const groups: [number, number][] = [];
  for (const t of times) {
    const last = groups[groups.length - 1];
    if (last === undefined || t % 3600_000 === 0) groups.push([t, 1]);
    else last[1] += 1;
  }
  return groups;
}
