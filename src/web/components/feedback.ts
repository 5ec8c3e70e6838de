/**
 * "Not an anomaly" feedback: the dialog that records it (scope: this point only, or the whole
 * series for N days, which widens the series' band and resolves its open alert; a reason is
 * required) and the list of recorded feedback with "Revoke".
 */
import { api, type Feedback, type NewFeedback, type Query } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { fmtTime } from '../lib/format.js';
import { BY_KEY } from './alert-actions.js';
import { openFormDialog } from './dialog.js';
import { latest, loading } from './load.js';
import { dataTable } from './table.js';
import { errorBox, rowAction } from './widgets.js';

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

/** Whether a feedback is `in force`, `expired` or `revoked` at `now`. */
function stateText(f: Feedback, now: number): 'in force' | 'expired' | 'revoked' {
  return f.revokedAt !== null
    ? 'revoked'
    : f.expiresAt !== null && f.expiresAt <= now
      ? 'expired'
      : 'in force';
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
  const el = h('div', { 'data-testid': 'feedback' }, loading());
  const error = h('div');
  const local = new Map<string, Feedback>();
  let listed: readonly Feedback[] = [];

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
    const now = Date.now();
    replace(
      el,
      dataTable(merged(), {
        empty: 'No feedback recorded.',
        rowAttrs: (f) => ({
          'data-feedback-id': f.id,
          'data-scope': f.scope,
          'data-state': stateText(f, now).replace(' ', '-'),
        }),
        columns: [
          { title: 'Given', cell: (f) => h('time', null, fmtTime(f.createdAt)) },
          { title: 'Scope', cell: (f) => scopeText(f, now) },
          { title: 'By', cell: (f) => f.createdBy },
          { title: 'Reason', class: 'expl', cell: (f) => f.reason },
          {
            title: 'State',
            cell: (f) => [
              stateText(f, now),
              f.revokedAt !== null
                ? ` ${fmtTime(f.revokedAt)}${f.revokedBy ? ` by ${f.revokedBy}` : ''}`
                : '',
            ],
          },
          {
            title: 'Actions',
            cell: (f) =>
              stateText(f, now) === 'in force'
                ? rowAction({
                    text: 'Revoke',
                    action: 'revoke',
                    label: `Revoke feedback of ${fmtTime(f.createdAt)}`,
                    errors: error,
                    run: () => api.revokeFeedback(f.id),
                    done: (res) => {
                      local.set(res.feedback.id, res.feedback);
                      render();
                      onRevoked?.(res.feedback);
                    },
                  })
                : null,
          },
        ],
      }),
      error,
    );
  }

  return {
    el,
    load: latest(
      () => api.feedback(query),
      (res) => {
        listed = res.items;
        render();
      },
      (err) => replace(el, errorBox(err)),
    ),
    add(f) {
      local.set(f.id, f);
      render();
    },
  };
}
