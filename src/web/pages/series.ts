/**
 * Series explorer: find series (search, service, endpoint, metric, labels), chart one or
 * several stacked with a shared cursor and x range, range presets, zoom/pan, live tail.
 * URL state: `search service endpoint metric labels ids range | from to, at`.
 */
import { createSeriesChart, type SeriesChart, type YMode } from '../components/chart.js';
import { readFilters } from '../components/filters.js';
import { latest } from '../components/load.js';
import { errorBox } from '../components/widgets.js';
import { api, type SeriesInfo } from '../lib/api.js';
import { debounce, h, replace } from '../lib/dom.js';
import { fmtAgo, fmtNum, fmtPct, fmtTime, RANGES, seriesName } from '../lib/format.js';
import { replaceQuery } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

/** Most points fetched per chart and range; the chart says so when a range holds more. */
const POINT_LIMIT = 50_000;

interface Entry {
  readonly id: string;
  readonly chart: SeriesChart;
  readonly box: HTMLElement;
  readonly title: HTMLElement;
  readonly note: HTMLElement;
  seq: number;
}

export const mountSeries: MountPage = (root, { route, live }) => {
  const d = new Disposer();
  const q = route.query;
  const filters = readFilters(q, ['search', 'service', 'endpoint', 'metric', 'labels']);
  let ids = (q.get('ids') ?? '').split(',').filter((s) => s !== '');
  const fromQ = Number(q.get('from'));
  const toQ = Number(q.get('to'));
  const custom =
    Number.isFinite(fromQ) && Number.isFinite(toQ) && q.has('from') && q.has('to') && toQ > fromQ;
  let preset: string | null = custom
    ? null
    : q.get('range') && RANGES[q.get('range') ?? '']
      ? q.get('range')
      : '1h';
  let fixed = custom ? { min: fromQ, max: toQ } : { min: 0, max: 0 };
  const at = q.has('at') ? Number(q.get('at')) : null;
  let yMode: YMode = q.get('y') === 'band' ? 'band' : 'auto';
  const entries = new Map<string, Entry>();

  const results = h('ul', { class: 'finder-list', 'data-testid': 'series-list' });
  const resultsInfo = h('p', { class: 'muted' });
  const charts = h('div', { class: 'charts', 'data-testid': 'charts' });
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Time range' });

  const view = () => (preset ? { min: Date.now() - (RANGES[preset] as number), max: Date.now() } : fixed);

  function writeUrl(): void {
    replaceQuery({
      ...filters,
      ids: ids.join(','),
      ...(preset ? { range: preset } : { from: Math.round(fixed.min), to: Math.round(fixed.max) }),
      at: at ?? undefined,
      y: yMode === 'band' ? 'band' : undefined,
    });
  }

  const field = (label: string, key: keyof typeof filters, placeholder: string) => {
    const input = h('input', {
      type: 'search',
      value: filters[key],
      placeholder,
      'data-filter': key,
      oninput: () => {
        filters[key] = input.value;
        writeUrl();
        searchSoon();
      },
    });
    return h('label', { class: 'field' }, h('span', null, label), input);
  };

  replace(
    root,
    h('h1', null, 'Series explorer'),
    h(
      'div',
      { class: 'explorer' },
      h(
        'aside',
        { class: 'finder', 'aria-label': 'Find series' },
        field('Search', 'search', 'any part of the name'),
        field('Service', 'service', 'exact service'),
        field('Endpoint', 'endpoint', 'exact endpoint'),
        field('Metric', 'metric', 'exact metric'),
        field('Labels', 'labels', 'key=value, key2=value2'),
        resultsInfo,
        results,
      ),
      h('section', { class: 'chart-area', 'aria-label': 'Charts' }, toolbar, charts),
    ),
  );

  // ---- finder
  function labelFilter(): [string, string][] {
    return filters.labels
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.includes('='))
      .map((p) => [p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).trim()]);
  }
  const search = latest(
    () =>
      api.series({
        search: filters.search,
        service: filters.service,
        endpoint: filters.endpoint,
        metric: filters.metric,
        limit: 200,
      }),
    (page) => {
      const lf = labelFilter();
      const items = page.items.filter((s) => lf.every(([k, v]) => s.labels[k] === v));
      resultsInfo.textContent =
        lf.length > 0
          ? `${items.length} of the first ${page.items.length} (of ${page.total}) match the labels`
          : `${page.total} series${page.total > page.items.length ? `, first ${page.items.length} shown` : ''}`;
      replace(
        results,
        ...(items.length === 0 ? [h('li', { class: 'empty' }, 'No series match.')] : items.map(resultItem)),
      );
    },
    (err) => replace(results, h('li', null, errorBox(err))),
  );
  const searchSoon = debounce(() => void search(), 200);
  d.add(() => searchSoon.cancel());

  function resultItem(s: SeriesInfo): HTMLElement {
    const box = h('input', {
      type: 'checkbox',
      checked: ids.includes(s.id),
      'aria-label': `Chart ${seriesName(s)}`,
      onchange: () => toggle(s.id, box.checked),
    });
    return h(
      'li',
      { class: 'finder-item', 'data-series-id': s.id },
      h(
        'label',
        null,
        box,
        h('span', { class: 'finder-name' }, seriesName(s)),
        h(
          'span',
          { class: 'finder-meta' },
          `last ${fmtNum(s.lastValue)} · ${fmtAgo(s.lastSeen)} · ${fmtNum(s.samples)} samples${s.warmup < 1 ? ` · warming up ${fmtPct(s.warmup)}` : ''}`,
        ),
      ),
    );
  }

  function toggle(id: string, on: boolean): void {
    if (on && !ids.includes(id)) {
      ids = [...ids, id];
      addChart(id);
    } else if (!on) {
      ids = ids.filter((x) => x !== id);
      removeChart(id);
    }
    writeUrl();
    renderEmpty();
  }

  // ---- toolbar
  function renderToolbar(): void {
    const presetButtons = Object.keys(RANGES).map((p) =>
      h(
        'button',
        {
          type: 'button',
          class: 'btn seg',
          'aria-pressed': String(preset === p),
          onclick: () => setPreset(p),
        },
        p,
      ),
    );
    const shift = (f: number) => () => {
      const v = view();
      const span = v.max - v.min;
      setFixed(v.min + span * f, v.max + span * f);
    };
    const zoom = (f: number) => () => {
      const v = view();
      const mid = (v.min + v.max) / 2;
      const half = ((v.max - v.min) * f) / 2;
      setFixed(mid - half, Math.min(mid + half, Date.now() + half));
    };
    replace(
      toolbar,
      h('span', { class: 'seg-group' }, ...presetButtons),
      h(
        'span',
        { class: 'seg-group' },
        h('button', { type: 'button', class: 'btn', 'aria-label': 'Pan back', onclick: shift(-0.5) }, '◀'),
        h('button', { type: 'button', class: 'btn', 'aria-label': 'Zoom in', onclick: zoom(0.5) }, '+'),
        h('button', { type: 'button', class: 'btn', 'aria-label': 'Zoom out', onclick: zoom(2) }, '−'),
        h('button', { type: 'button', class: 'btn', 'aria-label': 'Pan forward', onclick: shift(0.5) }, '▶'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          'aria-pressed': String(yMode === 'band'),
          title: 'Fit the y axis to the expected band (spikes are clipped) or to all values',
          'data-testid': 'y-mode',
          onclick: () => {
            yMode = yMode === 'band' ? 'auto' : 'band';
            for (const e of entries.values()) e.chart.setYMode(yMode);
            writeUrl();
            renderToolbar();
          },
        },
        yMode === 'band' ? 'Y: band' : 'Y: all',
      ),
      h(
        'button',
        {
          type: 'button',
          class: preset ? 'btn live-btn on' : 'btn live-btn',
          'aria-pressed': String(preset !== null),
          'data-testid': 'live-toggle',
          onclick: () => (preset ? setFixed(view().min, view().max) : setPreset(nearestPreset())),
        },
        preset ? '● Live' : '❚❚ Paused',
      ),
    );
  }

  function nearestPreset(): string {
    const span = fixed.max - fixed.min;
    return Object.keys(RANGES).find((p) => (RANGES[p] as number) >= span) ?? '7d';
  }

  function setPreset(p: string): void {
    preset = p;
    afterRangeChange();
  }

  function setFixed(min: number, max: number): void {
    preset = null;
    fixed = { min, max };
    afterRangeChange();
  }

  function afterRangeChange(): void {
    writeUrl();
    renderToolbar();
    const v = view();
    for (const e of entries.values()) e.chart.setRange(v.min, v.max);
    reloadSoon();
  }
  const reloadSoon = debounce(() => {
    for (const e of entries.values()) void load(e);
  }, 150);
  d.add(() => reloadSoon.cancel());

  // ---- charts
  function renderEmpty(): void {
    charts.querySelector('.empty')?.remove();
    if (ids.length === 0)
      charts.append(h('p', { class: 'empty' }, 'Tick series on the left to chart them here.'));
  }

  function addChart(id: string): void {
    if (entries.has(id)) return;
    const title = h('h2', { class: 'chart-title' }, id);
    const note = h('p', { class: 'muted chart-note' });
    const chart = createSeriesChart({
      label: id,
      syncKey: 'explorer',
      height: ids.length > 2 ? 170 : 240,
      marker: at,
      yMode,
      onRange: (min, max) => setFixed(min, max),
    });
    const box = h(
      'article',
      { class: 'chart-box', 'data-series-id': id },
      h(
        'header',
        null,
        title,
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small',
            'aria-label': 'Remove chart',
            onclick: () => toggle(id, false),
          },
          '✕',
        ),
      ),
      note,
      chart.el,
    );
    const entry: Entry = { id, chart, box, title, note, seq: 0 };
    entries.set(id, entry);
    charts.append(box);
    const v = view();
    chart.setRange(v.min, v.max);
    void load(entry);
    const unsub = live.subscribePoints([id]);
    entryUnsubs.set(id, unsub);
    // Re-tick the box in the finder list if it is shown.
    const cb = results.querySelector<HTMLInputElement>(`li[data-series-id="${CSS.escape(id)}"] input`);
    if (cb) cb.checked = true;
  }
  const entryUnsubs = new Map<string, () => void>();

  function removeChart(id: string): void {
    const e = entries.get(id);
    if (!e) return;
    e.chart.destroy();
    e.box.remove();
    entries.delete(id);
    entryUnsubs.get(id)?.();
    entryUnsubs.delete(id);
    const cb = results.querySelector<HTMLInputElement>(`li[data-series-id="${CSS.escape(id)}"] input`);
    if (cb) cb.checked = false;
  }

  async function load(e: Entry): Promise<void> {
    const seq = ++e.seq;
    const v = view();
    const from = Math.floor(v.min);
    const to = Math.ceil(v.max);
    try {
      const [first, anoms] = await Promise.all([
        api.points(e.id, { from, to, limit: POINT_LIMIT }),
        api.anomalies({ seriesId: e.id, from, to, limit: 1000 }),
      ]);
      let pts = first;
      let note = '';
      const a = first.points[0];
      const b = first.points[first.points.length - 1];
      if (first.points.length >= POINT_LIMIT && a && b) {
        // The API answers oldest first: when the range holds more than the limit, show the
        // newest points instead (what a live view is about), over a span of the same density.
        const newest = await api.points(e.id, {
          from: Math.max(from, to - (b.t - a.t)),
          to,
          limit: POINT_LIMIT,
        });
        pts = newest;
        const since = newest.points[0]?.t;
        note = `This range holds more than ${POINT_LIMIT.toLocaleString('en-US')} points: showing the latest ${newest.points.length.toLocaleString('en-US')}${since === undefined ? '' : ` (since ${fmtTime(since)})`}. Zoom in for detail.`;
      }
      if (seq !== e.seq || !entries.has(e.id)) return;
      e.title.textContent = seriesName(pts.series);
      e.chart.el.setAttribute('aria-label', `Chart of ${seriesName(pts.series)}`);
      e.note.textContent = note;
      e.chart.setPoints(pts.points);
      e.chart.setAnomalies(anoms.items);
    } catch (err) {
      if (seq === e.seq) replace(e.note, errorBox(err));
    }
  }

  d.add(
    live.onMessage((m) => {
      if (m.type === 'point') entries.get(m.point.seriesId)?.chart.addPoint(m.point);
      else if (m.type === 'anomaly') entries.get(m.anomaly.seriesId)?.chart.addAnomaly(m.anomaly);
    }),
  );
  d.add(
    live.onResync(() => {
      for (const e of entries.values()) void load(e);
    }),
  );
  // Live tail: slide the window with the clock.
  const tick = setInterval(() => {
    if (!preset) return;
    const v = view();
    for (const e of entries.values()) {
      e.chart.trimBefore(v.min - 60_000);
      e.chart.setRange(v.min, v.max);
    }
  }, 1000);
  d.add(() => clearInterval(tick));
  d.add(() => {
    for (const id of [...entries.keys()]) removeChart(id);
  });

  renderToolbar();
  for (const id of ids) addChart(id);
  renderEmpty();
  writeUrl();
  void search();
  return { unmount: () => d.dispose() };
};
