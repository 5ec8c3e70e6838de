/**
 * Light/dark theme: follows `prefers-color-scheme` until the user picks one with the
 * toggle; the choice is kept in localStorage and applied as `data-theme` on <html>.
 */

/** The user's choice. */
export type ThemeChoice = 'auto' | 'light' | 'dark';

const KEY = 'vigil-theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

/** The stored choice, `auto` when none. */
export function themeChoice(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'auto';
}

/** True when the effective theme is dark. */
export function isDark(): boolean {
  const c = themeChoice();
  return c === 'dark' || (c === 'auto' && media.matches);
}

/** Applies the stored choice to the document; call once at start. */
export function initTheme(): void {
  apply();
  media.addEventListener('change', () => {
    if (themeChoice() === 'auto') notify();
  });
}

/** Cycles auto → light → dark → auto and returns the new choice. */
export function cycleTheme(): ThemeChoice {
  const next: ThemeChoice = { auto: 'light', light: 'dark', dark: 'auto' }[themeChoice()] as ThemeChoice;
  if (next === 'auto') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, next);
  apply();
  notify();
  return next;
}

/** Runs `fn` when the effective theme changes; returns the unsubscribe function. */
export function onThemeChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Value of a CSS custom property on <html>, e.g. `cssVar('--fg')`; '' when it is not set.
 * A `light-dark(…)` colour (as the stylesheet is written; the built one resolves it already)
 * is resolved for the current theme, as `rgb(…)`, so that a canvas can use it.
 */
export function cssVar(name: string): string {
  const root = document.documentElement;
  const value = getComputedStyle(root).getPropertyValue(name).trim();
  if (!value.startsWith('light-dark(')) return value;
  const probe = document.createElement('span');
  probe.hidden = true;
  probe.style.color = value;
  root.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

function apply(): void {
  const c = themeChoice();
  if (c === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = c;
}

function notify(): void {
  for (const fn of listeners) fn();
}
