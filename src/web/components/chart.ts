/**
 * Time-series chart of one series (uPlot): actual values, the expected value (dashed)
 * inside its shaded expected band, and anomalies as dots coloured by severity, with a
 * tooltip (time, value, expected, band; for an anomaly also type, severity, score,
 * confidence and explanation). Drag to zoom, double-click to reset, arrow keys pan,
 * +/- zoom. Charts sharing a `syncKey` share their cursor.
 *
 * Cost: data lives in five parallel number arrays; appending a live point is O(1)
 * (O(n) when it arrives out of order) and redraws are coalesced to one per frame. When the
 * view holds more than 4 points per pixel column, the drawn data is decimated with M4
 * (see `decimate.ts`), so 10,000-point (and larger) charts stay smooth. Anomaly dots are
 * drawn on the canvas in one pass.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type Anomaly, type PointRecord, SEVERITIES, type Severity } from '../../model/types.js';
import { h } from '../lib/dom.js';
import { fmtNum, fmtPct, fmtTime, timeTicks } from '../lib/format.js';
import { cssVar, onThemeChange } from '../lib/theme.js';
import { m4Indices } from './decimate.js';

/** Options of {@link createSeriesChart}. */
export interface SeriesChartOptions {
  /** Accessible name of the chart (e.g. the series name). */
  readonly label: string;
  /** Charts with the same key share the cursor. */
  readonly syncKey: string;
  /** Plot height, CSS px (default 220). */
  readonly height?: number;
  /** Called after the user zooms or pans, with the new x range in Unix ms. */
  readonly onRange?: (min: number, max: number) => void;
  /** A moment to mark with a vertical line (Unix ms), e.g. the anomaly a link points at. */
  readonly marker?: number | null;
  /** Y range: `auto` fits all values; `band` fits the expected band so spikes are clipped (default auto). */
  readonly yMode?: YMode;
}

/** How the y axis is ranged. */
export type YMode = 'auto' | 'band';

/** A mounted chart. */
export interface SeriesChart {
  /** The element to insert into the page. */
  readonly el: HTMLElement;
  /** Replaces all points (oldest first). */
  setPoints(points: readonly PointRecord[]): void;
  /** Adds or replaces one point (live tail). */
  addPoint(p: PointRecord): void;
  /** Replaces the anomaly markers. */
  setAnomalies(list: readonly Anomaly[]): void;
  /** Adds one anomaly marker (deduplicated by id). */
  addAnomaly(a: Anomaly): void;
  /** Sets the visible x range, Unix ms (does not call `onRange`). */
  setRange(min: number, max: number): void;
  /** Switches the y ranging mode. */
  setYMode(mode: YMode): void;
  /** Drops points and anomalies older than `t` (Unix ms), bounding memory during a live tail. */
  trimBefore(t: number): void;
  /** Removes the chart and its listeners. */
  destroy(): void;
}

const SEVERITY_ORDER = SEVERITIES;

/** Creates a chart; insert `el` into the document, then feed it points. */
export function createSeriesChart(opts: SeriesChartOptions): SeriesChart {
  const height = opts.height ?? 220;
  const ts: number[] = [];
  const vals: number[] = [];
  const exps: number[] = [];
  const lows: number[] = [];
  const ups: number[] = [];
  let anomalies: Anomaly[] = [];
  let view = { min: Date.now() - 3600_000, max: Date.now() };
  let frame = 0;
  let yMode: YMode = opts.yMode ?? 'auto';

  const tooltip = h('div', { class: 'chart-tip', role: 'status', hidden: true });
  const summary = h('p', { class: 'chart-summary', 'data-testid': 'chart-summary' });
  const plot = h('div', { class: 'chart-plot' });
  const el = h(
    'figure',
    {
      class: 'chart',
      tabindex: 0,
      'aria-label': `Chart of ${opts.label}. Arrow keys pan, plus and minus zoom.`,
      onkeydown: (ev) => onKey(ev as KeyboardEvent),
    },
    plot,
    summary,
  );

  let u: uPlot | null = null;
  let userGesture = false;
  /** True while our own batch updates the scales (their hooks fire synchronously inside). */
  let programmatic = false;
  let destroyed = false;
  const endGesture = () =>
    setTimeout(() => {
      userGesture = false;
    }, 50);

  function colors() {
    return {
      fg: cssVar('--fg') || '#222',
      muted: cssVar('--muted') || '#777',
      grid: cssVar('--grid') || '#ddd',
      value: cssVar('--accent') || '#2563eb',
      expected: cssVar('--expected') || '#888',
      band: cssVar('--band') || 'rgba(100,150,250,0.15)',
      bandEdge: cssVar('--band-edge') || 'rgba(100,150,250,0.4)',
      bg: cssVar('--bg') || '#fff',
      marker: cssVar('--marker') || '#a855f7',
      sev: Object.fromEntries(SEVERITY_ORDER.map((s) => [s, cssVar(`--sev-${s}`) || '#e11'])) as Record<
        Severity,
        string
      >,
    };
  }

  function build(): void {
    const c = colors();
    const axis = { stroke: c.muted, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } };
    const options: uPlot.Options = {
      width: Math.max(280, plot.clientWidth || el.clientWidth || 600),
      height,
      ms: 1,
      legend: { show: false },
      cursor: {
        sync: { key: opts.syncKey, setSeries: false },
        drag: { x: true, y: false, setScale: true },
        points: { show: false },
      },
      scales: { x: { time: true }, y: { range: (_u, dmin, dmax) => yRange(dmin, dmax) } },
      axes: [
        { ...axis, values: (_u, splits, _i, _space, incr) => timeTicks(splits, incr) },
        { ...axis, size: 64, values: (_u, splits) => splits.map((v) => fmtNum(v)) },
      ],
      series: [
        {},
        { label: 'upper', stroke: c.bandEdge, width: 1, points: { show: false } },
        { label: 'lower', stroke: c.bandEdge, width: 1, points: { show: false } },
        { label: 'expected', stroke: c.expected, width: 1, dash: [4, 4], points: { show: false } },
        { label: 'value', stroke: c.value, width: 1.5, points: { show: false } },
      ],
      bands: [{ series: [1, 2], fill: c.band }],
      hooks: {
        draw: [(self) => drawMarkers(self, c)],
        setScale: [(self, key) => onScale(self, key)],
        setCursor: [(self) => showTip(self)],
      },
    };
    const chart = new uPlot(options, data(), plot);
    programmatic = true;
    try {
      chart.batch(() => chart.setScale('x', view));
    } finally {
      programmatic = false;
    }
    u = chart;
    chart.over.appendChild(tooltip);
    chart.over.addEventListener('mouseleave', () => {
      tooltip.hidden = true;
    });
    chart.over.addEventListener('mousedown', () => {
      userGesture = true;
    });
    chart.over.addEventListener('dblclick', () => {
      userGesture = true;
      endGesture();
    });
  }

  function yRange(dmin: number, dmax: number): uPlot.Range.MinMax {
    let lo = dmin;
    let hi = dmax;
    if (yMode === 'band') {
      let bl = Number.POSITIVE_INFINITY;
      let bh = Number.NEGATIVE_INFINITY;
      const end = lowerBound(ts, view.max + 1);
      for (let i = lowerBound(ts, view.min); i < end; i++) {
        const l = lows[i] as number;
        const u = ups[i] as number;
        if (Number.isFinite(l) && l < bl) bl = l;
        if (Number.isFinite(u) && u > bh) bh = u;
      }
      if (bl <= bh) {
        lo = bl;
        hi = bh;
      }
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    return uPlot.rangeNum(lo, hi, 0.1, true);
  }

  /** What uPlot draws: the raw arrays, or their M4 decimation when the view is dense. */
  let drawn = { t: ts, v: vals, e: exps, l: lows, u: ups };

  function data(): uPlot.AlignedData {
    const from = lowerBound(ts, view.min);
    const to = lowerBound(ts, view.max + 1);
    const columns = Math.max(1, Math.round(u ? u.over.clientWidth : plot.clientWidth) || 600);
    if (to - from > 4 * columns && view.max > view.min) {
      const idx = m4Indices(ts, vals, from, to, view.min, view.max, columns);
      const pick = (arr: number[]) => idx.map((i) => arr[i] as number);
      drawn = { t: pick(ts), v: pick(vals), e: pick(exps), l: pick(lows), u: pick(ups) };
    } else {
      drawn = { t: ts, v: vals, e: exps, l: lows, u: ups };
    }
    el.dataset.drawn = String(drawn.t.length);
    return [drawn.t, drawn.u, drawn.l, drawn.e, drawn.v];
  }

  function drawMarkers(self: uPlot, c: ReturnType<typeof colors>): void {
    const ctx = self.ctx;
    const dpr = devicePixelRatio || 1;
    const sx = self.scales.x;
    if (!sx || sx.min === undefined || sx.max === undefined) return;
    const { min, max } = sx;
    ctx.save();
    if (opts.marker !== undefined && opts.marker !== null && opts.marker >= min && opts.marker <= max) {
      const x = Math.round(self.valToPos(opts.marker, 'x', true));
      ctx.strokeStyle = c.marker;
      ctx.lineWidth = 2 * dpr;
      ctx.setLineDash([6 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, self.bbox.top);
      ctx.lineTo(x, self.bbox.top + self.bbox.height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    // Less severe first so the most severe dot ends on top.
    const visible = anomalies.filter((a) => a.t >= min && a.t <= max);
    visible.sort((a, b) => SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity));
    ctx.lineWidth = 1.5 * dpr;
    ctx.strokeStyle = c.bg;
    for (const a of visible) {
      const x = self.valToPos(a.t, 'x', true);
      const y = self.valToPos(a.value, 'y', true);
      ctx.fillStyle = c.sev[a.severity] ?? c.fg;
      ctx.beginPath();
      ctx.arc(
        x,
        Math.max(self.bbox.top, Math.min(self.bbox.top + self.bbox.height, y)),
        5 * dpr,
        0,
        2 * Math.PI,
      );
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
    updateSummary(visible);
  }

  function updateSummary(visible: readonly Anomaly[]): void {
    const n = visible.length;
    const bySev = SEVERITY_ORDER.map(
      (s) => [s, visible.filter((a) => a.severity === s).length] as const,
    ).filter(([, k]) => k > 0);
    const pts = countInView();
    el.dataset.points = String(pts);
    el.dataset.anomalies = String(n);
    const last = vals.length > 0 ? vals[vals.length - 1] : undefined;
    el.dataset.lastValue = last === undefined ? '' : String(last);
    summary.replaceChildren(
      `${pts.toLocaleString('en-US')} points · ${n} ${n === 1 ? 'anomaly' : 'anomalies'} in view`,
      ...bySev.map(([s, k]) => h('span', { class: `sev sev-${s}` }, `${s} ${k}`)),
    );
  }

  function countInView(): number {
    return lowerBound(ts, view.max + 1) - lowerBound(ts, view.min);
  }

  function onScale(self: uPlot, key: string): void {
    // Only user gestures (drag-zoom, double-click reset) report a range; our own calls do not.
    if (key !== 'x' || !userGesture || programmatic) return;
    const sx = self.scales.x;
    if (!sx || sx.min === undefined || sx.max === undefined) return;
    const { min, max } = sx;
    if (Math.abs(min - view.min) < 1 && Math.abs(max - view.max) < 1) return;
    view = { min, max };
    opts.onRange?.(min, max);
  }

  function showTip(self: uPlot): void {
    const { left, top, idx } = self.cursor;
    if (left === undefined || top === undefined || left < 0 || idx === null || idx === undefined) {
      tooltip.hidden = true;
      return;
    }
    const t = drawn.t[idx];
    if (t === undefined) {
      tooltip.hidden = true;
      return;
    }
    const near = nearestAnomaly(self, left, top);
    const rows: [string, string][] = [];
    if (near) {
      rows.push(
        ['time', fmtTime(near.t)],
        ['severity', near.severity],
        ['type', near.type.replace('_', ' ')],
        ['value', fmtNum(near.value)],
        ['expected', `${fmtNum(near.expected)} (${fmtNum(near.lower)} … ${fmtNum(near.upper)})`],
        ['score', fmtNum(near.score)],
        ['confidence', fmtPct(near.confidence)],
      );
    } else {
      rows.push(
        ['time', fmtTime(t)],
        ['value', fmtNum(drawn.v[idx])],
        ['expected', fmtNum(drawn.e[idx])],
        ['band', `${fmtNum(drawn.l[idx])} … ${fmtNum(drawn.u[idx])}`],
      );
    }
    tooltip.replaceChildren(
      h('dl', null, ...rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
      ...(near ? [h('p', { class: 'tip-expl' }, near.explanation)] : []),
    );
    tooltip.className = near ? `chart-tip tip-${near.severity}` : 'chart-tip';
    tooltip.hidden = false;
    const w = self.over.clientWidth;
    tooltip.style.left = `${left > w / 2 ? left - 12 - tooltip.offsetWidth : left + 12}px`;
    tooltip.style.top = `${Math.max(0, top - 10)}px`;
  }

  function nearestAnomaly(self: uPlot, left: number, top: number): Anomaly | null {
    let best: Anomaly | null = null;
    let bestD = 12 * 12;
    for (const a of anomalies) {
      const dx = self.valToPos(a.t, 'x') - left;
      if (Math.abs(dx) > 12) continue;
      const dy = self.valToPos(a.value, 'y') - top;
      const d = dx * dx + Math.min(dy * dy, 144);
      if (d <= bestD) {
        bestD = d;
        best = a;
      }
    }
    return best;
  }

  function onKey(ev: KeyboardEvent): void {
    const span = view.max - view.min;
    let next: { min: number; max: number } | null = null;
    if (ev.key === 'ArrowLeft') next = { min: view.min - span / 4, max: view.max - span / 4 };
    else if (ev.key === 'ArrowRight') next = { min: view.min + span / 4, max: view.max + span / 4 };
    else if (ev.key === '+' || ev.key === '=') next = { min: view.min + span / 4, max: view.max - span / 4 };
    else if (ev.key === '-') next = { min: view.min - span / 2, max: view.max + span / 2 };
    if (next === null) return;
    ev.preventDefault();
    api.setRange(next.min, next.max);
    opts.onRange?.(next.min, next.max);
  }

  function redraw(): void {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!u) return;
      const chart = u;
      const started = performance.now();
      programmatic = true;
      try {
        chart.batch(() => {
          chart.setData(data(), true);
          chart.setScale('x', view);
        });
      } finally {
        programmatic = false;
      }
      // User Timing entry (visible in devtools; the e2e suite reads it to report redraw cost).
      performance.measure('vigil-chart-redraw', { start: started, end: performance.now() });
    });
  }

  function insert(p: PointRecord): void {
    const last = ts[ts.length - 1];
    let i = ts.length;
    if (last !== undefined && p.t <= last) {
      i = lowerBound(ts, p.t);
      if (ts[i] === p.t) {
        vals[i] = p.value;
        exps[i] = p.expected;
        lows[i] = p.lower;
        ups[i] = p.upper;
        return;
      }
    }
    ts.splice(i, 0, p.t);
    vals.splice(i, 0, p.value);
    exps.splice(i, 0, p.expected);
    lows.splice(i, 0, p.lower);
    ups.splice(i, 0, p.upper);
  }

  const resize = new ResizeObserver(() => {
    const w = plot.clientWidth;
    if (u && w > 0 && Math.abs(u.width - w) > 1) u.setSize({ width: w, height });
  });
  resize.observe(plot);
  const offTheme = onThemeChange(() => {
    u?.destroy();
    build();
  });

  const api: SeriesChart = {
    el,
    setPoints(points) {
      ts.length = vals.length = exps.length = lows.length = ups.length = 0;
      for (const p of points) insert(p);
      redraw();
    },
    addPoint(p) {
      insert(p);
      redraw();
    },
    setAnomalies(list) {
      anomalies = [...list];
      redraw();
    },
    addAnomaly(a) {
      if (anomalies.some((x) => x.id === a.id)) return;
      anomalies.push(a);
      redraw();
    },
    setRange(min, max) {
      view = { min, max };
      redraw();
    },
    setYMode(mode) {
      yMode = mode;
      redraw();
    },
    trimBefore(t) {
      const n = lowerBound(ts, t);
      if (n > 0) for (const arr of [ts, vals, exps, lows, ups]) arr.splice(0, n);
      const before = anomalies.length;
      anomalies = anomalies.filter((a) => a.t >= t);
      if (n > 0 || anomalies.length !== before) redraw();
    },
    destroy() {
      destroyed = true;
      cancelAnimationFrame(frame);
      resize.disconnect();
      offTheme();
      window.removeEventListener('mouseup', endGesture);
      u?.destroy();
      u = null;
      el.remove();
    },
  };
  tooltip.hidden = true;
  // uPlot needs the element in the document to measure; build on the next frame.
  requestAnimationFrame(() => {
    if (!destroyed) build();
  });
  window.addEventListener('mouseup', endGesture);
  return api;
}

/** First index `i` with `arr[i] >= x` in a sorted array. */
function lowerBound(arr: readonly number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
