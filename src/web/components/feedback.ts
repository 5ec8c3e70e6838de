/**
 * "Not an anomaly" feedback: the dialog that records it (scope: this point only, or the whole
 * series for N days, which widens the series' band and resolves its open alert; a reason is
 * required) and the list of recorded feedback with "Revoke".
 */
import { api, type Feedback, type NewFeedback, type Query } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { fmtTime } from '../lib/format.js';
import { BY_KEY } from './alert-actions.js';
import { errorText, openFormDialog } from './dialog.js';
import { errorBox } from './widgets.js';

/** What the feedback is given on: an alert (all its anomalies) or one anomaly. */
export interface FeedbackTarget {
  readonly kind: 'alerts' | 'anomalies';
  readonly id: string;
  /** Shown under the title, e.g. the alert summary. */
  readonly label: string;
}

let seq = 0;

/** A "Not an anomaly…" button opening {@link openFeedbackDialog}. */
export function feedbackButton(
  target: FeedbackTarget,
  onDone: (f: Feedback) => void,
  small = false,
): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: `btn btn-feedback${small ? ' btn-small' : ''}`,
      'data-action': 'feedback',
      onclick: () => openFeedbackDialog(target, onDone),
    },
    'Not an anomaly…',
  );
}

/** Opens the "Not an anomaly" dialog for `target`; `onDone` gets the recorded feedback. */
export function openFeedbackDialog(target: FeedbackTarget, onDone: (f: Feedback) => void): HTMLDialogElement {
  const n = ++seq;
  const days = h('input', {
    type: 'number',
    name: 'days',
    min: 1,
    max: 90,
    step: 1,
    value: 7,
    required: true,
  });
  const daysBox = h(
    'label',
    { class: 'field', hidden: true },
    h('span', null, 'For how many days (1–90)'),
    days,
  );
  let scope: NewFeedback['scope'] = 'point';
  const radio = (value: NewFeedback['scope'], text: string, hint: string) =>
    h(
      'label',
      { class: 'radio' },
      h('input', {
        type: 'radio',
        name: `feedback-scope-${n}`,
        value,
        checked: value === scope,
        onchange: () => {
          scope = value;
          daysBox.hidden = value !== 'series';
          days.disabled = value !== 'series';
        },
      }),
      ` ${text}`,
      h('span', { class: 'muted radio-hint' }, hint),
    );
  days.disabled = true;
  const reason = h('textarea', { name: 'reason', rows: 3, maxlength: 2000, required: true });
  const by = h('input', { name: 'by', value: localStorage.getItem(BY_KEY) ?? '', autocomplete: 'username' });
  return openFormDialog({
    title: 'Not an anomaly',
    testid: 'feedback-dialog',
    focus: reason,
    submitText: 'Record feedback',
    body: [
      h('p', { class: 'muted' }, target.label),
      h(
        'fieldset',
        { class: 'fieldset' },
        h('legend', null, 'Scope'),
        h(
          'div',
          { class: 'radios radios-stacked' },
          radio(
            'point',
            target.kind === 'alerts' ? "This alert's points only" : 'This point only',
            'Marks them as false positives; nothing else changes.',
          ),
          radio(
            'series',
            'The whole series',
            "Widens the series' expected band to this deviation for some days and resolves its open alert.",
          ),
        ),
        daysBox,
      ),
      h('label', { class: 'field' }, h('span', null, 'Reason (required)'), reason),
      h('label', { class: 'field' }, h('span', null, 'Your name (optional)'), by),
    ],
    onSubmit: async () => {
      const text = reason.value.trim();
      if (text === '') throw new Error('Give a reason.');
      const who = by.value.trim();
      localStorage.setItem(BY_KEY, who);
      const body: NewFeedback = {
        scope,
        reason: text,
        ...(scope === 'series' ? { days: Number(days.value) } : {}),
        ...(who === '' ? {} : { by: who }),
      };
      const res = await api.giveFeedback(target.kind, target.id, body);
      onDone(res.feedback);
    },
  });
}

/** One line about a feedback's life: scope, until when, revoked by whom. */
function scopeText(f: Feedback, now: number): string {
  if (f.scope === 'point')
    return `point${f.anomalyIds.length > 1 ? ` (${f.anomalyIds.length} anomalies)` : ''}`;
  if (f.expiresAt === null) return 'series';
  return `series, ${f.expiresAt > now ? 'until' : 'ended'} ${fmtTime(f.expiresAt)}`;
}

/** A feedback list that loads from `GET /api/feedback` and keeps the changes made here. */
export interface FeedbackPanel {
  readonly el: HTMLElement;
  /** (Re)loads the list. */
  load(): Promise<void>;
  /** Shows a feedback just recorded (before the list endpoint may list it). */
  add(f: Feedback): void;
}

/**
 * The feedback matching `query` (e.g. `{alertId}`) as a table with "Revoke" on the feedback
 * still in force. The server lists a change a moment after answering it, so the records
 * answered to this page's own POST and DELETE override what a reload lists until it catches up.
 */
export function feedbackPanel(query: Query, onRevoked?: (f: Feedback) => void): FeedbackPanel {
  const el = h('div', { 'data-testid': 'feedback' }, h('p', { class: 'muted' }, 'Loading…'));
  const error = h('div');
  const local = new Map<string, Feedback>();
  let listed: readonly Feedback[] = [];
  let seq = 0;

  function merged(): Feedback[] {
    const out = listed.map((f) => {
      const mine = local.get(f.id);
      // Feedback only moves forward (recorded → revoked): keep the later of the two.
      return mine && mine.revokedAt !== null && f.revokedAt === null ? mine : f;
    });
    for (const f of local.values()) if (!out.some((x) => x.id === f.id)) out.push(f);
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  function render(): void {
    const items = merged();
    if (items.length === 0) {
      replace(el, h('p', { class: 'empty' }, 'No feedback recorded.'), error);
      return;
    }
    const now = Date.now();
    replace(
      el,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'list' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ...['Given', 'Scope', 'By', 'Reason', 'State', 'Actions'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h('tbody', null, ...items.map((f) => row(f, now))),
        ),
      ),
      error,
    );
  }

  function row(f: Feedback, now: number): HTMLElement {
    const revoke = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-small',
        'data-action': 'revoke',
        'aria-label': `Revoke feedback of ${fmtTime(f.createdAt)}`,
        onclick: () => {
          revoke.disabled = true;
          replace(error);
          api.revokeFeedback(f.id).then(
            (res) => {
              local.set(res.feedback.id, res.feedback);
              render();
              onRevoked?.(res.feedback);
            },
            (err: unknown) => {
              revoke.disabled = false;
              replace(error, errorBox(errorText(err)));
            },
          );
        },
      },
      'Revoke',
    );
    const state =
      f.revokedAt !== null ? 'revoked' : f.expiresAt !== null && f.expiresAt <= now ? 'expired' : 'in force';
    return h(
      'tr',
      { 'data-feedback-id': f.id, 'data-scope': f.scope, 'data-state': state.replace(' ', '-') },
      h('td', null, h('time', null, fmtTime(f.createdAt))),
      h('td', null, scopeText(f, now)),
      h('td', null, f.createdBy),
      h('td', { class: 'expl' }, f.reason),
      h(
        'td',
        null,
        state,
        f.revokedAt !== null ? ` ${fmtTime(f.revokedAt)}${f.revokedBy ? ` by ${f.revokedBy}` : ''}` : '',
      ),
      h('td', null, state === 'in force' ? revoke : null),
    );
  }

  return {
    el,
    async load() {
      const mine = ++seq;
      try {
        const res = await api.feedback(query);
        if (mine !== seq) return;
        listed = res.items;
        render();
      } catch (err) {
        if (mine === seq) replace(el, errorBox(err));
      }
    },
    add(f) {
      local.set(f.id, f);
      render();
    },
  };
}
