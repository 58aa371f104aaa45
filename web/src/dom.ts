// A tiny element builder: text always goes in as text, never as HTML.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium" });

export function time(value: string | null | undefined): string {
  return value ? timeFormat.format(new Date(value)) : "";
}

export function stateBadge(state: string): HTMLElement {
  return h("span", { class: `state state-${state.toLowerCase()}` }, state);
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.1 ? 1 : 0)}%`;
}

/** A labelled meter bar (used / total). */
export function bar(fraction: number, label: string): HTMLElement {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const fill = h("span", { class: "bar-fill" });
  // Through the CSSOM: the gateway's CSP (style-src 'self') refuses inline style attributes.
  fill.style.width = `${(clamped * 100).toFixed(1)}%`;
  return h("span", { class: "bar", role: "img", "aria-label": label, title: label }, fill);
}

/** A status line under a form or a section: polite for screen readers. */
export function status(): HTMLElement {
  return h("p", { class: "status", role: "status", "aria-live": "polite" });
}

export function showError(target: HTMLElement, error: unknown): void {
  target.classList.add("error");
  target.textContent = error instanceof Error ? error.message : String(error);
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** Bytes for people: 24684096Ki reads as 23.5 GiB. */
export function bytes(value: number): string {
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}
