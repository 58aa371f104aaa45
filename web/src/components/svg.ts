// SVG elements built like dom.ts's h(): attributes as attributes (the CSP refuses inline styles,
// not presentation attributes), text always as text. Plus the number helpers the SVG charts share.
type SvgChild = Node | string | number | null | undefined | false;

const NS = "http://www.w3.org/2000/svg";

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | null | undefined | false> = {}, ...children: (SvgChild | SvgChild[])[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

/** At most four significant digits, no trailing zeros: 0.5, 0.01235, 1.235e-7, 12345. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return String(Math.round(value * 100) / 100);
  return String(Number(value.toPrecision(4)));
}

/** Round tick values (1, 2 or 5 times a power of ten) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5, integers = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw) ?? 10 * power;
  if (integers) step = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) {
    // Multiples of the step without the float noise of repeated addition (0.30000000000000004).
    ticks.push(Number((Math.round(tick / step) * step).toPrecision(12)));
  }
  return ticks;
}

/** Powers of ten inside [min, max] (min > 0), with 2× and 5× between when there are few. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (const multipliers of [[1], [1, 2, 5]]) {
    ticks.length = 0;
    for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++) {
      for (const m of multipliers) {
        const tick = Number((m * 10 ** exponent).toPrecision(12));
        if (tick >= min * (1 - 1e-9) && tick <= max * (1 + 1e-9)) ticks.push(tick);
      }
    }
    if (ticks.length >= 3) break;
  }
  return ticks;
}

/** Whether `a` is better than `b` for the objective's direction. */
export function better(type: string, a: number, b: number): boolean {
  return type === "maximize" ? a > b : a < b;
}
