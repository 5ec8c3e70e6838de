/**
 * Sign-in page (`#/login?next=<hash>`): a user name and password form posted to
 * `POST /api/auth/login`, which sets the HttpOnly session cookie. Shown by the shell
 * (main.ts) whenever authentication is on and nobody is signed in, or an API call answers 401.
 */
import { ApiError, auth, type LoginResult } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import type { Page } from './page.js';

/** What the sign-in page needs from the shell. */
export interface LoginOptions {
  /** Called once the server accepted the credentials (the cookie is set). */
  readonly onSignedIn: (result: LoginResult) => void;
  /** Shown above the form, e.g. "Your session has ended." (optional). */
  readonly notice?: string | undefined;
}

/** Text shown for a failed sign-in. */
export function loginErrorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'Wrong user name or password.';
    if (err.status === 429) return 'Too many failed sign-ins. Wait a minute, then try again.';
    if (err.status === 0) return 'Cannot reach Vigil. Check the connection and try again.';
    return `Sign-in failed: ${err.message}`;
  }
  return `Sign-in failed: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Mounts the sign-in form into `root` and focuses the user name field.
 * @returns the page handle (unmount ignores answers that arrive later).
 */
export function mountLogin(root: HTMLElement, opts: LoginOptions): Page {
  let alive = true;
  const username = h('input', {
    name: 'username',
    id: 'login-username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    maxlength: 64,
  });
  const password = h('input', {
    name: 'password',
    id: 'login-password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    maxlength: 256,
  });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'login-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Sign in');

  const form = h(
    'form',
    {
      class: 'login-form',
      'aria-labelledby': 'login-title',
      'data-testid': 'login-form',
      onsubmit: (ev) => {
        ev.preventDefault();
        void send();
      },
    },
    h('label', { class: 'field', for: 'login-username' }, h('span', null, 'User name'), username),
    h('label', { class: 'field', for: 'login-password' }, h('span', null, 'Password'), password),
    error,
    h('div', { class: 'login-buttons' }, submit),
  );

  async function send(): Promise<void> {
    if (username.value.trim() === '' || password.value === '') {
      showError('Enter your user name and password.');
      (username.value.trim() === '' ? username : password).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const result = await auth.login(username.value.trim(), password.value);
      if (!alive) return;
      password.value = '';
      opts.onSignedIn(result);
    } catch (err) {
      if (!alive) return;
      showError(loginErrorText(err));
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  }

  function showError(text: string): void {
    error.textContent = text;
    error.hidden = false;
  }

  replace(
    root,
    h(
      'section',
      { class: 'login panel' },
      h('h1', { id: 'login-title' }, 'Sign in to Vigil'),
      opts.notice ? h('p', { class: 'muted', 'data-testid': 'login-notice' }, opts.notice) : null,
      form,
    ),
  );
  username.focus();
  return {
    unmount() {
      alive = false;
    },
  };
}
