/**
 * Entry point of Vigil's dashboard: the shell (navigation, connection state, theme
 * toggle, the signed-in user and "Sign out"), the live feed and the hash router that mounts
 * one page at a time.
 *
 * Authentication: at start the shell asks `GET /api/auth/me`. When authentication is off it
 * shows no sign-in at all. When it is on and nobody is signed in (401), or when any API call
 * later answers 401 (the session ended), it shows the sign-in page `#/login?next=<hash>`,
 * stops the live feed, and after sign-in returns to `next` and (re)connects the live feed,
 * whose handshake needs the session cookie.
 */
import './styles.css';
import { ApiError, auth, onUnauthorized } from './lib/api.js';
import { h, replace } from './lib/dom.js';
import { LiveFeed, type LiveState } from './lib/live.js';
import { loginNext, parseHash } from './lib/router.js';
import { cycleTheme, initTheme, themeChoice } from './lib/theme.js';
import { mountAlert } from './pages/alert.js';
import { mountAlerts } from './pages/alerts.js';
import { mountAnomalies } from './pages/anomalies.js';
import { mountIncident } from './pages/incident.js';
import { mountIncidents } from './pages/incidents.js';
import { mountLogin } from './pages/login.js';
import { mountOverview } from './pages/overview.js';
import type { MountPage, Page } from './pages/page.js';
import { mountReports } from './pages/reports.js';
import { mountSeries } from './pages/series.js';
import { mountSettings } from './pages/settings.js';
import { mountSilences } from './pages/silences.js';

const PAGES: readonly { readonly key: string; readonly title: string; readonly mount: MountPage }[] = [
  { key: 'overview', title: 'Overview', mount: mountOverview },
  { key: 'series', title: 'Series', mount: mountSeries },
  { key: 'alerts', title: 'Alerts', mount: mountAlerts },
  { key: 'incidents', title: 'Incidents', mount: mountIncidents },
  { key: 'anomalies', title: 'Anomalies', mount: mountAnomalies },
  { key: 'silences', title: 'Silences', mount: mountSilences },
  { key: 'reports', title: 'Reports', mount: mountReports },
  { key: 'settings', title: 'Settings', mount: mountSettings },
];

/** Pages with a detail page at `#/<page>/<id>`. */
const DETAIL_PAGES: Readonly<Record<string, MountPage>> = { alerts: mountAlert, incidents: mountIncident };

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

/** Whether the server requires sign-in (learnt from `/api/auth/me` or a 401). */
let authEnabled = false;
/** The signed-in user's name; null when nobody is (or auth is off). */
let user: string | null = null;
/** Message for the next sign-in page, e.g. after a session ended. */
let loginNotice: string | undefined;

const userName = h('span', { class: 'user-name', 'data-testid': 'user' });
const signOutBtn = h(
  'button',
  { type: 'button', class: 'btn', 'data-testid': 'sign-out', onclick: () => void signOut() },
  'Sign out',
);
const userBox = h('span', { class: 'user-box', hidden: true }, userName, signOutBtn);

const navLinks = PAGES.map((p) => h('a', { href: `#/${p.key}`, 'data-page': p.key }, p.title));
const nav = h('nav', { 'aria-label': 'Pages' }, ...navLinks);
const main = h('main', { id: 'main', tabindex: -1 }, h('p', { class: 'muted' }, 'Loading…'));
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
    nav,
    h('span', { class: 'top-right' }, conn, userBox, themeBtn),
  ),
  main,
);

/** Shows or hides the parts of the header that need a signed-in user. */
function renderUser(): void {
  const locked = authEnabled && user === null;
  nav.hidden = locked;
  conn.hidden = locked;
  userBox.hidden = !authEnabled || user === null;
  userName.textContent = user ?? '';
  signOutBtn.setAttribute('aria-label', user === null ? 'Sign out' : `Sign out ${user}`);
}

/** Goes to the sign-in page, remembering the page the user was on (or wanted). */
function toLogin(notice?: string): void {
  authEnabled = true;
  user = null;
  live.stop();
  renderUser();
  if (notice !== undefined) loginNotice = notice;
  if (parseHash().path[0] === 'login') {
    route();
    return;
  }
  const next = location.hash === '' ? '#/overview' : location.hash;
  // replace: the back button must not return to a page that would bounce to sign-in again.
  location.replace(`#/login?next=${encodeURIComponent(next)}`);
}

onUnauthorized(() => {
  if (user === null && parseHash().path[0] === 'login') return;
  toLogin(user === null ? undefined : 'Your session has ended. Sign in again.');
});

async function signOut(): Promise<void> {
  signOutBtn.disabled = true;
  try {
    await auth.logout();
  } catch (err) {
    // 401: already signed out. Anything else: the cookie may still be valid; say so.
    if (!(err instanceof ApiError && err.status === 401)) {
      console.warn(`vigil: sign-out failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  } finally {
    signOutBtn.disabled = false;
  }
  loginNotice = 'You have signed out.';
  toLogin();
}

let current: Page | null = null;
let first = true;
function route(): void {
  const r = parseHash();
  const key = r.path[0] ?? 'overview';
  if (key === 'login') {
    const next = loginNext(r.query.get('next'));
    if (!authEnabled || user !== null) {
      location.replace(next);
      return;
    }
    current?.unmount();
    for (const a of navLinks) a.removeAttribute('aria-current');
    document.title = 'Sign in · Vigil';
    const root = h('div', { class: 'page page-login' });
    replace(main, root);
    const notice = loginNotice;
    loginNotice = undefined;
    current = mountLogin(root, {
      notice,
      onSignedIn: (res) => {
        user = res.user.username;
        renderUser();
        live.start();
        location.replace(next);
      },
    });
    first = false;
    return;
  }
  if (authEnabled && user === null) {
    toLogin();
    return;
  }
  const page = PAGES.find((p) => p.key === key) ?? PAGES[0]!;
  const mount = (r.path[1] ? DETAIL_PAGES[page.key] : undefined) ?? page.mount;
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

/** Learns whether sign-in is needed, then routes and (when allowed) connects the live feed. */
async function boot(): Promise<void> {
  try {
    const me = await auth.me();
    authEnabled = me.authEnabled;
    user = me.authEnabled ? me.name : null;
  } catch (err) {
    // 401: auth is on and nobody is signed in. Other failures (server down, an older server
    // without /api/auth/me): carry on as without auth; a later 401 still leads to sign-in.
    if (err instanceof ApiError && err.status === 401) authEnabled = true;
  }
  renderUser();
  window.addEventListener('hashchange', route);
  route();
  if (!authEnabled || user !== null) live.start();
}
void boot();
