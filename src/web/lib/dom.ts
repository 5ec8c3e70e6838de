/**
 * Tiny DOM builder. Every string child becomes a Text node and every attribute goes
 * through `setAttribute`, so text from data is never parsed as HTML. There is no
 * innerHTML anywhere in the dashboard.
 */

/** What `h()` accepts as a child: nodes, text (numbers are stringified), nothing, or nested lists. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** Attribute values; functions under `on<event>` keys become event listeners. */
export type AttrValue = string | number | boolean | null | undefined | ((ev: Event) => void);

/** Attributes of `h()`: `true` sets an empty attribute, `false`/`null`/`undefined` skip it. */
export type Attrs = Readonly<Record<string, AttrValue>>;

/**
 * Creates an element.
 * @param tag - HTML tag name.
 * @param attrs - attributes and `on<event>` listeners (a string under an `on…` key throws:
 *   inline handler strings are never set).
 * @param children - children appended in order.
 * @throws Error when an `on…` attribute is not a function.
 * @example h('a', { href: '#/alerts', class: 'link' }, 'Alerts', ' (', 3, ')')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (key.startsWith('on')) {
        if (typeof value !== 'function') throw new Error(`event attribute ${key} must be a function`);
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (value === true) {
        el.setAttribute(key, '');
      } else if (value !== false && value !== null && value !== undefined && typeof value !== 'function') {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

/** Appends children (see {@link Child}) to `parent`. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (typeof child === 'string' || typeof child === 'number') {
      parent.appendChild(document.createTextNode(String(child)));
    } else if (child instanceof Node) {
      parent.appendChild(child);
    } else {
      append(parent, child);
    }
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Calls `fn` at most once per `ms`, trailing call included. */
export function debounce(fn: () => void, ms: number): (() => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  run.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return run;
}
