// Tiny DOM helpers for the webview apps. Text always goes in as text (textContent, attributes set
// one by one): spec titles, labels and paths are untrusted and must never be parsed as markup.

export interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export function vscodeApi<State>(): VsCodeApi<State> {
  return acquireVsCodeApi<State>();
}

type Attrs = Record<string, string | number | boolean | undefined>;

type Child = Node | string | undefined | null | false;

/** Sets attributes (false/undefined skipped) and appends children (strings become text nodes). */
function fill<E extends Element>(el: E, attrs: Attrs, children: Child[]): E {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/** An HTML element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** A codicon span (decorative unless given a label). */
export function icon(name: string, label?: string): HTMLSpanElement {
  const span = h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true', 'aria-label': label, role: label ? 'img' : undefined });
  return span;
}

/** A toolbar-style button with a codicon and an accessible name. */
export function iconButton(name: string, label: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'icon-button', title: label, 'aria-label': label, ...attrs }, icon(name));
  button.addEventListener('click', onClick);
  return button;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}
