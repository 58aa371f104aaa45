// Client-side routes on real paths (/jobs, /jobs/ID, /experiments, /experiments/ID, /queues, /clusters, /tokens, /audit); the gateway answers
// index.html for each of them. Links are real <a href> so keyboard, middle-click and copy work.
export interface Route {
  path: string;
  params: Record<string, string>;
  search: URLSearchParams;
}

export type Page = (main: HTMLElement, route: Route, signal: AbortSignal) => void | Promise<void>;

const patterns: [RegExp, string[], Page][] = [];

export function route(pattern: string, page: Page): void {
  const names: string[] = [];
  const regex = new RegExp("^" + pattern.replace(/:(\w+)/g, (_, name: string) => { names.push(name); return "([^/]+)"; }) + "/?$");
  patterns.push([regex, names, page]);
}

export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  window.dispatchEvent(new Event("gantry:navigate"));
}

export function match(pathname: string): { page: Page; params: Record<string, string> } | null {
  for (const [regex, names, page] of patterns) {
    const m = regex.exec(pathname);
    if (m) {
      return { page, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    }
  }
  return null;
}

/** Same-origin link clicks navigate in place (unless modified or meant for a new tab). */
export function interceptLinks(): void {
  document.addEventListener("click", (event) => {
    const anchor = (event.target as Element | null)?.closest("a");
    if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const href = anchor.getAttribute("href");
    if (!href || anchor.target || anchor.hasAttribute("download") || !href.startsWith("/") || href.startsWith("/api/")) {
      return;
    }
    event.preventDefault();
    navigate(href);
  });
}
