/**
 * The fields of a new silence: matcher rows (label name, operator `=` `!=` `=~` `!~`, value),
 * a duration (1 h, 4 h, 1 d presets or a custom end), who and a comment. Used inline on the
 * Silences page and in a dialog from an alert ("Silence…", prefilled with its labels).
 */
import { api, type NewSilence, type Silence, type SilenceMatcher } from '../lib/api.js';
import { type Child, h } from '../lib/dom.js';
import { fmtTime } from '../lib/format.js';
import { BY_KEY } from './alert-actions.js';
import { openFormDialog } from './dialog.js';

/** Matcher operators, Alertmanager's spelling. */
export const OPS = ['=', '!=', '=~', '!~'] as const;
export type Op = (typeof OPS)[number];

/** The operator of a matcher. */
export function opOf(m: Pick<SilenceMatcher, 'isRegex' | 'isEqual'>): Op {
  return m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
}

/** `name="value"` with the matcher's operator, e.g. `service="checkout"`, `metric=~"lat.*"`. */
export function fmtMatcher(m: SilenceMatcher): string {
  return `${m.name}${opOf(m)}${JSON.stringify(m.value)}`;
}

/** Labels an alert (and so a silence) can match on; suggestions only, any series label works. */
const LABEL_NAMES = ['service', 'endpoint', 'metric', 'severity', 'type'];
const DURATIONS = [
  ['1h', '1 h', 3600_000],
  ['4h', '4 h', 4 * 3600_000],
  ['1d', '1 d', 86_400_000],
  ['custom', 'custom end', 0],
] as const;

let seq = 0;
const pad = (n: number) => String(n).padStart(2, '0');
/** `YYYY-MM-DDTHH:MM` in local time, the value format of `<input type=datetime-local>`. */
function localInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The form's fields and how to read them. */
export interface SilenceFields {
  readonly nodes: readonly Child[];
  /** The request body; throws an Error with a message for the user when a field is unusable. */
  value(): NewSilence;
  /** Clears the fields (after a silence was created). */
  reset(): void;
  /** Updates the shown end time of a preset duration (it moves with the clock). */
  refresh(): void;
}

/** Builds the fields of a new silence, prefilled with `matchers` (default one empty row). */
export function silenceFields(
  prefill: { readonly matchers?: readonly SilenceMatcher[] } = {},
): SilenceFields {
  const n = ++seq;
  const listId = `silence-labels-${n}`;
  const rows = h('div', { class: 'matcher-rows', 'data-testid': 'matcher-rows' });
  const readers: { el: HTMLElement; read(): SilenceMatcher | null }[] = [];

  function addRow(m?: SilenceMatcher): HTMLInputElement {
    const name = h('input', {
      name: 'matcher-name',
      list: listId,
      value: m?.name ?? '',
      autocomplete: 'off',
      spellcheck: false,
    });
    const op = h(
      'select',
      { name: 'matcher-op' },
      ...OPS.map((o) => h('option', { value: o, selected: m !== undefined && opOf(m) === o }, o)),
    );
    const value = h('input', {
      name: 'matcher-value',
      value: m?.value ?? '',
      autocomplete: 'off',
      spellcheck: false,
    });
    const row = h(
      'div',
      { class: 'matcher-row', role: 'group', 'aria-label': 'Matcher' },
      h('label', { class: 'field' }, h('span', null, 'Label'), name),
      h('label', { class: 'field matcher-op' }, h('span', null, 'Op'), op),
      h('label', { class: 'field' }, h('span', null, 'Value'), value),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small matcher-remove',
          'aria-label': 'Remove matcher',
          title: 'Remove matcher',
          onclick: () => {
            const i = readers.findIndex((r) => r.el === row);
            if (i >= 0) readers.splice(i, 1);
            row.remove();
            if (readers.length === 0) addRow().focus();
            else (readers[Math.max(0, i - 1)]?.el.querySelector('input') as HTMLInputElement | null)?.focus();
          },
        },
        '✕',
      ),
    );
    readers.push({
      el: row,
      read: () => {
        if (name.value.trim() === '' && value.value === '') return null;
        const o = op.value as Op;
        return {
          name: name.value.trim(),
          value: value.value,
          isRegex: o.endsWith('~'),
          isEqual: !o.startsWith('!'),
        };
      },
    });
    rows.append(row);
    return name;
  }

  const ends = h('span', { class: 'muted', 'data-testid': 'silence-ends' });
  const custom = h('input', {
    type: 'datetime-local',
    name: 'endsAt',
    value: localInput(Date.now() + 2 * 3600_000),
    onchange: () => showEnd(),
  });
  const customBox = h(
    'label',
    { class: 'field', hidden: true },
    h('span', null, 'Ends at (local time)'),
    custom,
  );
  let duration: (typeof DURATIONS)[number][0] = '1h';
  const radios = DURATIONS.map(([key, text]) => {
    const input = h('input', {
      type: 'radio',
      name: `silence-duration-${n}`,
      value: key,
      checked: key === duration,
      onchange: () => {
        duration = key;
        customBox.hidden = key !== 'custom';
        showEnd();
      },
    });
    return h('label', { class: 'radio' }, input, ` ${text}`);
  });
  function endsAt(): number {
    const d = DURATIONS.find((x) => x[0] === duration);
    return duration === 'custom' || !d ? new Date(custom.value).getTime() : Date.now() + d[2];
  }
  function showEnd(): void {
    const t = endsAt();
    ends.textContent = Number.isFinite(t) ? `Ends ${fmtTime(t)}` : '';
  }
  showEnd();

  const by = h('input', { name: 'by', value: localStorage.getItem(BY_KEY) ?? '', autocomplete: 'username' });
  const comment = h('textarea', { name: 'comment', rows: 2, maxlength: 2000 });

  for (const m of prefill.matchers ?? []) addRow(m);
  if (readers.length === 0) addRow();

  return {
    nodes: [
      h('datalist', { id: listId }, ...LABEL_NAMES.map((l) => h('option', { value: l }))),
      h(
        'fieldset',
        { class: 'fieldset' },
        h('legend', null, 'Matchers (every one must hold)'),
        rows,
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small',
            'data-testid': 'add-matcher',
            onclick: () => addRow().focus(),
          },
          '+ Add matcher',
        ),
      ),
      h(
        'fieldset',
        { class: 'fieldset' },
        h('legend', null, 'Duration'),
        h('div', { class: 'radios' }, ...radios),
        customBox,
        ends,
      ),
      h('label', { class: 'field' }, h('span', null, 'Your name'), by),
      h('label', { class: 'field' }, h('span', null, 'Comment'), comment),
    ],
    value() {
      const t = endsAt();
      if (!Number.isFinite(t)) throw new Error('Choose when the silence ends.');
      const who = by.value.trim();
      localStorage.setItem(BY_KEY, who);
      return {
        matchers: readers.map((r) => r.read()).filter((m): m is SilenceMatcher => m !== null),
        endsAt: t,
        createdBy: who === '' ? 'anonymous' : who,
        comment: comment.value.trim(),
      };
    },
    reset() {
      for (const r of readers.splice(0)) r.el.remove();
      addRow();
      comment.value = '';
      showEnd();
    },
    refresh: showEnd,
  };
}

/** Opens "New silence" in a dialog, prefilled with `matchers`; `onCreated` gets the new silence. */
export function openSilenceDialog(
  matchers: readonly SilenceMatcher[],
  onCreated: (s: Silence) => void,
  intro?: Child,
): HTMLDialogElement {
  const fields = silenceFields({ matchers });
  return openFormDialog({
    title: 'New silence',
    testid: 'silence-dialog',
    body: [intro ?? null, ...fields.nodes],
    submitText: 'Create silence',
    onSubmit: async () => {
      const res = await api.createSilence(fields.value());
      onCreated(res.silence);
    },
  });
}
