/**
 * Entry point of Vigil's dashboard: the shell (navigation, connection state, theme
 * toggle), the live feed and the hash router that mounts one page at a time.
 */
import './styles.css';
import { h, replace } from './lib/dom.js';
import { LiveFeed, type LiveState } from './lib/live.js';
import { parseHash } from './lib/router.js';
import { cycleTheme, initTheme, themeChoice } from './lib/theme.js';
import { mountAlert } from './pages/alert.js';
import { mountAlerts } from './pages/alerts.js';
import { mountAnomalies } from './pages/anomalies.js';
import { mountOverview } from './pages/overview.js';
import type { MountPage, Page } from './pages/page.js';
import { mountSeries } from './pages/series.js';
import { mountSettings } from './pages/settings.js';

const PAGES: readonly { readonly key: string; readonly title: string; readonly mount: MountPage }[] = [
  { key: 'overview', title: 'Overview', mount: mountOverview },
  { key: 'series', title: 'Series', mount: mountSeries },
  { key: 'alerts', title: 'Alerts', mount: mountAlerts },
  { key: 'anomalies', title: 'Anomalies', mount: mountAnomalies },
  { key: 'settings', title: 'Settings', mount: mountSettings },
];

initTheme();
const live = new LiveFeed();

const STATE_TEXT: Record<LiveState, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
};
const conn = h(
  'span',
  { class: 'conn', role: 'status', 'aria-live': 'polite', 'data-testid': 'conn', 'data-state': live.state },
  STATE_TEXT[live.state],
);
live.onState((s) => {
  conn.dataset.state = s;
  conn.textContent =
    s === 'reconnecting' && live.reconnects > 0 ? `reconnecting… (${live.reconnects})` : STATE_TEXT[s];
});

const themeBtn = h('button', {
  type: 'button',
  class: 'btn theme-btn',
  'data-testid': 'theme-toggle',
  onclick: () => setThemeLabel(cycleTheme()),
});
function setThemeLabel(c: string): void {
  themeBtn.textContent = c === 'auto' ? '◐ auto' : c === 'dark' ? '☾ dark' : '☀ light';
  themeBtn.setAttribute('aria-label', `Theme: ${c}. Change theme`);
}
setThemeLabel(themeChoice());

const navLinks = PAGES.map((p) => h('a', { href: `#/${p.key}`, 'data-page': p.key }, p.title));
const main = h('main', { id: 'main', tabindex: -1 });
replace(
  document.body,
  h(
    'a',
    {
      class: 'skip',
      href: '#main',
      onclick: (ev) => {
        ev.preventDefault();
        main.focus();
      },
    },
    'Skip to content',
  ),
  h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#/overview' }, 'Vigil'),
    h('nav', { 'aria-label': 'Pages' }, ...navLinks),
    h('span', { class: 'top-right' }, conn, themeBtn),
  ),
  main,
);

let current: Page | null = null;
let first = true;
function route(): void {
  const r = parseHash();
  const key = r.path[0] ?? 'overview';
  const page = PAGES.find((p) => p.key === key) ?? PAGES[0]!;
  const mount = page.key === 'alerts' && r.path[1] ? mountAlert : page.mount;
  current?.unmount();
  for (const a of navLinks) {
    if (a.dataset.page === page.key) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${page.title} · Vigil`;
  const root = h('div', { class: `page page-${page.key}` });
  replace(main, root);
  current = mount(root, { route: r, live });
  if (!first) main.focus({ preventScroll: false });
  first = false;
}
window.addEventListener('hashchange', route);
route();
live.start();
