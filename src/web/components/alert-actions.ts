/**
 * Acknowledge / resolve buttons for an alert. Each opens a modal form dialog asking for an
 * optional note (and who you are, remembered in localStorage), then POSTs the action.
 * Acknowledge also offers an expiry: when it lapses and the alert still fires, it fires again.
 */
import { type Alert, type AlertActionBody, api } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { openFormDialog } from './dialog.js';

/** localStorage key of the name the user last gave (shared by every dialog that asks). */
export const BY_KEY = 'vigil-user';

/** Acknowledgement expiry choices: `[ms, label]`; '' = no expiry. */
const ACK_EXPIRY = [
  ['', 'no expiry'],
  [String(3600_000), '1 h'],
  [String(4 * 3600_000), '4 h'],
  [String(86_400_000), '1 d'],
] as const;

/** Buttons for the actions allowed in `alert`'s status; `onDone` gets the updated alert. */
export function alertActions(alert: Alert, onDone: (a: Alert) => void): HTMLElement {
  const wrap = h('span', { class: 'actions' });
  if (alert.status === 'firing') wrap.append(button(alert, 'acknowledge', onDone));
  if (alert.status !== 'resolved') wrap.append(button(alert, 'resolve', onDone));
  return wrap;
}

function button(alert: Alert, action: 'acknowledge' | 'resolve', onDone: (a: Alert) => void): HTMLElement {
  const text = action === 'acknowledge' ? 'Acknowledge' : 'Resolve';
  return h(
    'button',
    {
      type: 'button',
      class: `btn btn-${action}`,
      'data-action': action,
      onclick: () => openDialog(alert, action, onDone),
    },
    text,
  );
}

function openDialog(alert: Alert, action: 'acknowledge' | 'resolve', onDone: (a: Alert) => void): void {
  const by = h('input', { name: 'by', value: localStorage.getItem(BY_KEY) ?? '', autocomplete: 'username' });
  const note = h('textarea', { name: 'note', rows: 3, maxlength: 2000 });
  const expiry =
    action === 'acknowledge'
      ? h('select', { name: 'expires' }, ...ACK_EXPIRY.map(([v, t]) => h('option', { value: v }, t)))
      : null;
  const text = action === 'acknowledge' ? 'Acknowledge' : 'Resolve';
  openFormDialog({
    title: `${text} alert`,
    submitText: text,
    focus: note,
    body: [
      h('p', { class: 'muted' }, alert.summary),
      h('label', { class: 'field' }, h('span', null, 'Your name (optional)'), by),
      h('label', { class: 'field' }, h('span', null, 'Note (optional)'), note),
      expiry
        ? h(
            'label',
            { class: 'field' },
            h('span', null, 'Acknowledgement expires after (it fires again if still open)'),
            expiry,
          )
        : null,
    ],
    onSubmit: async () => {
      const body: { -readonly [K in keyof AlertActionBody]: AlertActionBody[K] } = {};
      if (by.value.trim() !== '') body.by = by.value.trim();
      if (note.value.trim() !== '') body.note = note.value.trim();
      if (expiry && expiry.value !== '') body.expiresInMs = Number(expiry.value);
      localStorage.setItem(BY_KEY, by.value.trim());
      const res = await api.alertAction(alert.id, action, body);
      onDone(res.alert);
    },
  });
}
