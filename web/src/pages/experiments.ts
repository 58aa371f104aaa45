// The experiment list: filtered on the server by state (and owner, for admins), newest first.
// There is no experiment stream: the page reads the list again every few seconds while any
// experiment it shows is unfinished.
import { getJson, query } from "../api";
import { h, replace, showError, stateBadge, status, time } from "../dom";
import { isAdmin } from "../me";
import type { Route } from "../router";
import { formatNumber } from "../components/svg";
import { EXPERIMENT_STATES, EXPERIMENT_TERMINAL_STATES, type Experiment, type ExperimentList } from "../types";

export const EXPERIMENT_REFRESH_MS = 3000;
const PAGE = 50;
const FILTERS = ["state", "owner"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export async function experimentsPage(main: HTMLElement, route: Route, signal: AbortSignal): Promise<void> {
  const filters: Filters = Object.fromEntries(FILTERS.map((f) => [f, route.search.get(f) ?? ""]));
  const rows = h("tbody");
  const listStatus = status();
  const refreshStatus = status();
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Load more");
  // What is shown, in order, and each row with the JSON it was drawn from (unchanged rows stay, so
  // a refresh does not take the keyboard focus away from a link).
  let shown: { experiment: Experiment; row: HTMLTableRowElement; drawn: string }[] = [];
  let nextCursor: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  signal.addEventListener("abort", () => clearTimeout(timer), { once: true });

  const table = h("table", { class: "experiments" },
    h("caption", { class: "visually-hidden" }, "Experiments, newest first"),
    h("thead", {}, h("tr", {},
      ["Experiment", "State", "Owner", "Algorithm", "Objective", "Trials done", "Best objective", "Created"].map((c) => h("th", { scope: "col" }, c)))),
    rows);

  const stateSelect = h("select", { id: "filter-state", name: "state" },
    h("option", { value: "" }, "any"),
    EXPERIMENT_STATES.map((s) => h("option", { value: s, selected: s === filters.state }, s)));
  const ownerInput = isAdmin() ? h("input", { id: "filter-owner", name: "owner", type: "search", value: filters.owner ?? "", placeholder: "anyone" }) : null;
  const filterForm = h("form", { class: "filters", "aria-label": "Filter experiments" },
    h("span", { class: "field" }, h("label", { for: "filter-state" }, "State"), stateSelect),
    ownerInput ? h("span", { class: "field" }, h("label", { for: "filter-owner" }, "Owner"), ownerInput) : null,
    h("button", { type: "submit" }, "Apply"),
    h("button", { type: "button", class: "secondary", onclick: () => { stateSelect.value = ""; if (ownerInput) ownerInput.value = ""; filterForm.requestSubmit(); } }, "Clear"),
    h("button", { type: "button", class: "secondary", onclick: () => void refresh() }, "Refresh"));
  stateSelect.addEventListener("change", () => filterForm.requestSubmit());
  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    filters.state = stateSelect.value;
    filters.owner = ownerInput?.value ?? "";
    history.replaceState(null, "", `/experiments${query(filters)}`);
    shown = [];
    rows.replaceChildren();
    void refresh();
  });
  more.addEventListener("click", () => void loadMore());

  replace(main,
    h("h1", {}, "Experiments"),
    h("p", { class: "hint" }, "Hyperparameter tuning: each experiment runs trials as jobs and keeps the best. Submit one with POST /api/v1/experiments (docs/experiments.md)."),
    filterForm,
    refreshStatus,
    table,
    listStatus,
    more);

  /** Draws `list` in order, keeping the rows whose experiment did not change. */
  function draw(list: Experiment[]): void {
    const before = new Map(shown.map((s) => [s.experiment.id, s]));
    shown = list.map((experiment) => {
      const drawn = JSON.stringify(experiment);
      const old = before.get(experiment.id);
      return old && old.drawn === drawn ? old : { experiment, row: experimentRow(experiment), drawn };
    });
    // Only rows that moved or are new are touched.
    shown.forEach((s, i) => { if (rows.children[i] !== s.row) rows.insertBefore(s.row, rows.children[i] ?? null); });
    while (rows.children.length > shown.length) rows.lastElementChild!.remove();
    listStatus.textContent = shown.length === 0 ? "No experiments match." : "";
  }

  async function loadMore(): Promise<void> {
    more.disabled = true;
    try {
      const page = await getJson<ExperimentList>(`/api/v1/experiments${query({ ...filters, limit: String(PAGE), cursor: nextCursor })}`, signal);
      draw([...shown.map((s) => s.experiment), ...page.items.filter((e) => !shown.some((s) => s.experiment.id === e.id))]);
      nextCursor = page.nextCursor;
      more.hidden = nextCursor === null;
      schedule();
    } catch (error) {
      if (!signal.aborted) showError(listStatus, error);
    } finally {
      more.disabled = false;
    }
  }

  /** Reads again as many as are shown (at least a page), from the newest. */
  async function refresh(): Promise<void> {
    clearTimeout(timer);
    try {
      const limit = Math.min(500, Math.max(PAGE, shown.length));
      const page = await getJson<ExperimentList>(`/api/v1/experiments${query({ ...filters, limit: String(limit) })}`, signal);
      draw(page.items);
      nextCursor = page.nextCursor;
      more.hidden = nextCursor === null;
      refreshStatus.classList.remove("error");
      schedule();
    } catch (error) {
      if (signal.aborted) return;
      showError(refreshStatus, error);
      timer = setTimeout(() => void refresh(), EXPERIMENT_REFRESH_MS * 3);
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    const active = shown.filter((s) => !EXPERIMENT_TERMINAL_STATES.includes(s.experiment.state)).length;
    if (active > 0) {
      refreshStatus.textContent = `${active} unfinished: the list is read again every ${EXPERIMENT_REFRESH_MS / 1000} s.`;
      timer = setTimeout(() => void refresh(), EXPERIMENT_REFRESH_MS);
    } else {
      refreshStatus.textContent = "";
    }
  }

  await refresh();
}

function experimentRow(experiment: Experiment): HTMLTableRowElement {
  const o = experiment.objective;
  const t = experiment.trials;
  const done = t.succeeded + t.failed + t.killed + t.earlyStopped + t.metricsUnavailable;
  const best = bestObjective(experiment);
  return h("tr", { "data-experiment-id": experiment.id, "data-state": experiment.state },
    h("td", {}, h("a", { href: `/experiments/${experiment.id}` }, experiment.name || experiment.id), h("div", { class: "id" }, experiment.id)),
    h("td", {}, stateBadge(experiment.state)),
    h("td", {}, experiment.owner),
    h("td", {}, experiment.algorithm),
    h("td", {}, `${o.type} ${o.metricName}`),
    h("td", { class: "num", title: `${t.total} created, ${t.running} running` }, `${done} / ${experiment.maxTrialCount ?? "∞"}`),
    h("td", { class: "num" }, best === null ? "—" : formatNumber(best)),
    h("td", {}, time(experiment.createdAt)));
}

/**
 * The best trial's objective from currentOptimalTrial: under the default strategy (min when
 * minimizing, max when maximizing; the list does not carry metricStrategies), else its latest.
 */
export function bestObjective(experiment: Experiment): number | null {
  const metric = experiment.currentOptimalTrial?.observation.metrics.find((m) => m.name === experiment.objective.metricName);
  if (!metric) return null;
  for (const text of [experiment.objective.type === "maximize" ? metric.max : metric.min, metric.latest]) {
    const value = Number(text);
    if (text !== "" && text !== "unavailable" && Number.isFinite(value)) return value;
  }
  return null;
}
