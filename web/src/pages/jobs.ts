// The job list: server-side filters and keyset pages, kept current by GET /jobs/watch.
import { ApiError, getJson, postJson, query } from "../api";
import { h, replace, showError, stateBadge, status, time } from "../dom";
import { isAdmin } from "../me";
import type { Route } from "../router";
import { readSse } from "../sse";
import { submitForm } from "../components/submitForm";
import { JOB_KINDS, JOB_STATES, TERMINAL_STATES, type Job, type JobList, type Queue, type WatchEvent } from "../types";

const FILTERS = ["state", "queue", "kind", "owner"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export async function jobsPage(main: HTMLElement, route: Route, signal: AbortSignal): Promise<void> {
  const filters: Filters = Object.fromEntries(FILTERS.map((f) => [f, route.search.get(f) ?? ""]));
  const queues = await getJson<{ items: Queue[] }>("/api/v1/queues", signal).catch(() => ({ items: [] as Queue[] }));

  const rows = h("tbody");
  const live = status();
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Load more");
  const listStatus = status();
  let nextCursor: string | null = null;
  let streamAbort: AbortController | null = null;
  const shown = new Map<string, { job: Job; row: HTMLTableRowElement }>();

  const table = h("table", { class: "jobs" },
    h("caption", { class: "visually-hidden" }, "Jobs, newest first"),
    h("thead", {}, h("tr", {},
      ["Job", "Kind", "Queue", "Owner", "State", "Cluster", "Created", "Message", ""].map((c) => h("th", { scope: "col" }, c)))),
    rows);

  const filterForm = h("form", { class: "filters", "aria-label": "Filter jobs" },
    select("state", "State", JOB_STATES, filters.state),
    select("queue", "Queue", queues.items.map((q) => q.name), filters.queue),
    select("kind", "Kind", JOB_KINDS, filters.kind),
    isAdmin() ? field("owner", "Owner", filters.owner) : null,
    h("button", { type: "submit" }, "Apply"),
    h("button", { type: "button", class: "secondary", onclick: () => { for (const f of FILTERS) filters[f] = ""; filterForm.reset(); for (const el of filterForm.querySelectorAll<HTMLSelectElement | HTMLInputElement>("select, input")) el.value = ""; void reload(); } }, "Clear"));
  filterForm.addEventListener("change", (event) => {
    if ((event.target as Element).tagName === "SELECT") filterForm.requestSubmit();
  });
  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(filterForm);
    for (const f of FILTERS) filters[f] = String(data.get(f) ?? "");
    void reload();
  });

  replace(main,
    h("h1", {}, "Jobs"),
    h("details", { class: "panel" }, h("summary", {}, "Submit a job"), submitForm(() => undefined)),
    filterForm,
    live,
    table,
    listStatus,
    more);

  more.addEventListener("click", () => void loadPage(nextCursor));

  function put(job: Job, where: "append" | "sorted"): void {
    const row = jobRow(job);
    const existing = shown.get(job.id);
    if (existing) {
      existing.row.replaceWith(row);
    } else if (where === "append") {
      rows.appendChild(row);
    } else {
      // A job that just entered the filter: in order of creation among what is shown, or not at
      // all if it is older than the loaded pages.
      const after = [...shown.values()].find((s) => s.job.createdAt < job.createdAt);
      if (after) rows.insertBefore(row, after.row);
      else if (nextCursor === null) rows.appendChild(row);
      else return;
    }
    shown.set(job.id, { job, row });
    listStatus.textContent = "";
  }

  function remove(id: string): void {
    shown.get(id)?.row.remove();
    shown.delete(id);
  }

  function onChange(change: WatchEvent): void {
    const job = change.job;
    if (filters.state && !filters.state.split(",").includes(job.state)) {
      remove(job.id); // it left the filtered state: the stream says so, so the row goes
      return;
    }
    put(job, "sorted");
  }

  async function loadPage(cursor: string | null): Promise<void> {
    more.disabled = true;
    try {
      const page = await getJson<JobList>(`/api/v1/jobs${query({ ...filters, limit: "50", cursor })}`, signal);
      page.items.forEach((job) => put(job, "append"));
      nextCursor = page.nextCursor;
      more.hidden = nextCursor === null;
      if (shown.size === 0) listStatus.textContent = "No jobs match.";
    } catch (error) {
      if (!signal.aborted) showError(listStatus, error);
    } finally {
      more.disabled = false;
    }
  }

  async function reload(): Promise<void> {
    history.replaceState(null, "", `/jobs${query(filters)}`);
    streamAbort?.abort();
    streamAbort = new AbortController();
    const stream = streamAbort.signal;
    signal.addEventListener("abort", () => streamAbort?.abort(), { once: true });
    shown.clear();
    rows.replaceChildren();
    listStatus.textContent = "";
    nextCursor = null;

    // Watch first, then list: a change made while the page loads is not missed. Changes that
    // arrive before the list are applied after it.
    let pending: WatchEvent[] | null = [];
    live.textContent = "Connecting to live updates…";
    void readSse(`/api/v1/jobs/watch${query(filters)}`, stream, {
      reconnect: true,
      onMessage: (message) => {
        if (message.event === "ready") {
          live.textContent = "Live: changes appear as they happen.";
          return;
        }
        if (message.event !== "job") return;
        const change = JSON.parse(message.data) as WatchEvent;
        if (pending) pending.push(change);
        else onChange(change);
      },
      onError: (error) => {
        live.textContent = error instanceof ApiError ? `Live updates stopped: ${error.message}` : "Live updates lost; reconnecting…";
      },
    });
    await loadPage(null);
    const early = pending;
    pending = null;
    early.forEach(onChange);
  }

  await reload();
}

function jobRow(job: Job): HTMLTableRowElement {
  const cancel = TERMINAL_STATES.includes(job.state) || job.state === "Cancelling"
    ? null
    : h("button", { type: "button", class: "small", "aria-label": `Cancel job ${job.name || job.id}` }, "Cancel");
  cancel?.addEventListener("click", async () => {
    cancel.disabled = true;
    try {
      await postJson(`/api/v1/jobs/${job.id}/cancel`);
    } catch (error) {
      cancel.disabled = false;
      cancel.title = error instanceof Error ? error.message : String(error);
    }
  });
  return h("tr", { "data-job-id": job.id, "data-state": job.state },
    h("td", {}, h("a", { href: `/jobs/${job.id}` }, job.name || job.id), h("div", { class: "id" }, job.id)),
    h("td", {}, job.kind),
    h("td", {}, job.queue),
    h("td", {}, job.owner),
    h("td", {}, stateBadge(job.state)),
    h("td", {}, job.cluster ?? ""),
    h("td", {}, time(job.createdAt)),
    h("td", { class: "message", title: job.message }, job.message),
    h("td", {}, cancel));
}

function select(name: string, label: string, options: readonly string[], value: string | undefined): HTMLElement {
  const id = `filter-${name}`;
  return h("span", { class: "field" },
    h("label", { for: id }, label),
    h("select", { id, name },
      h("option", { value: "" }, "any"),
      options.map((o) => h("option", { value: o, selected: o === value }, o))));
}

function field(name: string, label: string, value: string | undefined): HTMLElement {
  const id = `filter-${name}`;
  return h("span", { class: "field" },
    h("label", { for: id }, label),
    h("input", { id, name, type: "search", value: value ?? "", placeholder: "anyone" }));
}
