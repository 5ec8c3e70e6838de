/**
 * A modal <dialog> holding a form: title, fields, an error line (role=alert) and
 * Cancel / submit buttons. Submitting disables the button and awaits `onSubmit`; on success
 * the dialog closes, on failure the error's message (the API's own for a 4xx) is shown and
 * the form stays open. Escape and Cancel close it; it is removed from the DOM when closed.
 */
import { type Child, h } from '../lib/dom.js';

let seq = 0;

/** Options of {@link openFormDialog}. */
export interface FormDialogOptions {
  readonly title: string;
  /** Fields and text between the title and the buttons. */
  readonly body: readonly Child[];
  readonly submitText: string;
  /** `data-testid` of the dialog. */
  readonly testid?: string;
  /** Element focused on open (default the first field). */
  readonly focus?: HTMLElement;
  /** Does the work; rejects to keep the dialog open with the error shown. */
  readonly onSubmit: () => Promise<void>;
}

/** Opens a modal form dialog (see the module comment); returns the dialog element. */
export function openFormDialog(opts: FormDialogOptions): HTMLDialogElement {
  const titleId = `dlg-title-${++seq}`;
  const status = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, opts.submitText);
  const form = h(
    'form',
    {
      method: 'dialog',
      onsubmit: (ev) => {
        ev.preventDefault();
        submit.disabled = true;
        status.hidden = true;
        opts.onSubmit().then(
          () => dialog.close(),
          (err: unknown) => {
            status.textContent = err instanceof Error ? err.message : String(err);
            status.hidden = false;
            submit.disabled = false;
          },
        );
      },
    },
    h('h2', { id: titleId }, opts.title),
    ...opts.body,
    status,
    h(
      'div',
      { class: 'dialog-buttons' },
      h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel'),
      submit,
    ),
  );
  const dialog = h(
    'dialog',
    { class: 'dialog', 'aria-labelledby': titleId, 'data-testid': opts.testid },
    form,
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  (opts.focus ?? form.querySelector<HTMLElement>('input, select, textarea'))?.focus();
  return dialog;
}

/** The error message of a rejected call, for a visible error line. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
