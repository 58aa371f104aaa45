// One experiment: its facts, a cancel button while it runs, the best trial so far, the search
// space, the trials (each linking its job), the optimisation history and the parameters against
// the objective. Read again every few seconds while unfinished (experiments have no stream).
import { ApiError, getJson, postJson } from "../api";
import { h, replace, showError, stateBadge, status, time } from "../dom";
import type { Route } from "../router";
import { optimisationHistory } from "../components/optimisationHistory";
import { parallelCoordinates } from "../components/parallelCoordinates";
import { formatNumber } from "../components/svg";
import { EXPERIMENT_REFRESH_MS, bestObjective } from "./experiments";
import { EXPERIMENT_TERMINAL_STATES, type Experiment, type ExperimentParameter, type Trial } from "../types";

export async function experimentPage(main: HTMLElement, route: Route, signal: AbortSignal): Promise<void> {
  const id = route.params.id;
  let experiment: Experiment;
  let trials: Trial[];
  try {
    [experiment, trials] = await Promise.all([
      getJson<Experiment>(`/api/v1/experiments/${encodeURIComponent(id)}`, signal),
      getJson<{ items: Trial[] }>(`/api/v1/experiments/${encodeURIComponent(id)}/trials`, signal).then((t) => t.items),
    ]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      replace(main, h("h1", {}, "No such experiment"), h("p", {}, `There is no experiment ${id} that you may see. `, h("a", { href: "/experiments" }, "Back to the experiments.")));
      return;
    }
    throw error;
  }

  const header = h("div", { class: "job-header" });
  const live = status();
  const facts = h("dl", { class: "facts" });
  const best = h("div");
  const space = h("div");
  const trialTable = h("div", { class: "table-scroll" });
  const history = h("div");
  const parallel = h("div");
  replace(main,
    h("p", {}, h("a", { href: "/experiments" }, "← Experiments")),
    header,
    live,
    facts,
    section("best", "Best trial so far", best),
    section("trials", "Trials", trialTable),
    section("history", "Optimisation history", history),
    section("parallel", "Parameters against the objective", parallel),
    section("space", "Search space", space));

  let drawn = "";
  function show(): void {
    // A refresh that changed nothing redraws nothing (the focus stays where it was).
    const now = JSON.stringify([experiment, trials]);
    if (now === drawn) return;
    drawn = now;
    const finished = EXPERIMENT_TERMINAL_STATES.includes(experiment.state);
    const cancel = finished ? null : h("button", { type: "button", onclick: async (e: Event) => {
      const button = e.currentTarget as HTMLButtonElement;
      button.disabled = true;
      try {
        await postJson(`/api/v1/experiments/${experiment.id}/cancel`);
        await load();
      } catch (error) {
        button.disabled = false;
        showError(live, error);
      }
    } }, "Cancel experiment");
    replace(header, h("h1", {}, experiment.name || experiment.id, " ", stateBadge(experiment.state)), cancel);
    replace(facts, ...experimentFacts(experiment));
    replace(best, bestTrial(experiment, trials));
    replace(space, searchSpace(experiment.parameters));
    replace(trialTable, trialsTable(experiment, trials));
    replace(history, optimisationHistory(trials, experiment.objective));
    replace(parallel, parallelCoordinates(experiment.parameters, trials, experiment.objective));
    live.classList.remove("error");
    live.textContent = finished
      ? `The experiment ended: ${experiment.state}.`
      : `Unfinished: read again every ${EXPERIMENT_REFRESH_MS / 1000} s.`;
  }

  async function load(): Promise<void> {
    const [e, t] = await Promise.all([
      getJson<Experiment>(`/api/v1/experiments/${experiment.id}`, signal),
      getJson<{ items: Trial[] }>(`/api/v1/experiments/${experiment.id}/trials`, signal),
    ]);
    experiment = e;
    trials = t.items;
    show();
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  function schedule(): void {
    if (signal.aborted || EXPERIMENT_TERMINAL_STATES.includes(experiment.state)) return;
    timer = setTimeout(() => {
      load().then(schedule, (error) => {
        if (signal.aborted) return;
        showError(live, error);
        timer = setTimeout(schedule, EXPERIMENT_REFRESH_MS * 2);
      });
    }, EXPERIMENT_REFRESH_MS);
  }

  show();
  schedule();
}

function experimentFacts(e: Experiment): Node[] {
  const o = e.objective;
  const t = e.trials;
  const counts = ([["created", t.created], ["running", t.running], ["succeeded", t.succeeded], ["failed", t.failed], ["killed", t.killed],
    ["early stopped", t.earlyStopped], ["metrics unavailable", t.metricsUnavailable]] as const)
    .filter(([, n]) => n > 0).map(([name, n]) => `${n} ${name}`).join(", ");
  return [
    ...fact("ID", h("code", {}, e.id)),
    ...fact("State", `${e.state}`),
    ...fact("Reason", e.reason || "—"),
    ...fact("Message", e.message || "—"),
    ...fact("Queue", e.queue),
    ...fact("Owner", e.owner),
    ...fact("Objective", `${o.type} ${o.metricName}` + (o.additionalMetricNames.length ? ` (also ${o.additionalMetricNames.join(", ")})` : "")),
    ...fact("Goal", o.goal === null || o.goal === undefined ? "none" : formatNumber(o.goal)),
    ...fact("Algorithm", e.algorithm),
    ...fact("Early stopping", e.earlyStopping ?? "none"),
    ...fact("Trials", `${t.total} of ${e.maxTrialCount ?? "no limit"}${counts ? `: ${counts}` : ""}`),
    ...fact("Parallel trials", String(e.parallelTrialCount)),
    ...fact("Max failed trials", e.maxFailedTrialCount === null || e.maxFailedTrialCount === undefined ? "no limit" : String(e.maxFailedTrialCount)),
    ...fact("Priority", String(e.priority)),
    ...fact("Created", time(e.createdAt)),
    ...fact("Started", time(e.startedAt) || "—"),
    ...fact("Finished", time(e.finishedAt) || "—"),
    ...fact("Labels", Object.entries(e.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(", ") || "—"),
  ];
}

function bestTrial(e: Experiment, trials: Trial[]): HTMLElement {
  const optimal = e.currentOptimalTrial;
  if (!optimal) return h("p", { class: "hint" }, "No trial has an objective value yet.");
  const trial = trials.find((t) => t.name === optimal.bestTrialName);
  const value = trial?.objective ?? bestObjective(e);
  return h("div", { class: "best-trial" },
    h("p", {},
      trial?.jobId ? h("a", { href: `/jobs/${trial.jobId}` }, optimal.bestTrialName) : optimal.bestTrialName,
      value === null ? null : [": ", h("strong", {}, `${e.objective.metricName} ${formatNumber(value)}`)]),
    h("table", { class: "compact" },
      h("caption", {}, "Its parameters"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Parameter"), h("th", { scope: "col" }, "Value"))),
      h("tbody", {}, optimal.parameterAssignments.map((a) => h("tr", {},
        h("th", { scope: "row" }, a.name),
        paramCell(e.parameters.find((p) => p.name === a.name), a.value))))),
    optimal.observation.metrics.length ? h("table", { class: "compact" },
      h("caption", {}, "Its metrics"),
      h("thead", {}, h("tr", {}, ["Metric", "Min", "Max", "Latest"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, optimal.observation.metrics.map((m) => h("tr", {},
        h("th", { scope: "row" }, m.name), h("td", {}, m.min), h("td", {}, m.max), h("td", {}, m.latest))))) : null);
}

function trialsTable(e: Experiment, trials: Trial[]): HTMLElement {
  if (trials.length === 0) return h("p", { class: "hint" }, "No trials yet.");
  const names = e.parameters.map((p) => p.name);
  const bestName = e.currentOptimalTrial?.bestTrialName;
  return h("table", { class: "trials" },
    h("caption", { class: "visually-hidden" }, "Trials in creation order"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "#"),
      h("th", { scope: "col" }, "Trial"),
      h("th", { scope: "col" }, "State"),
      names.map((n) => h("th", { scope: "col", class: "param" }, n)),
      h("th", { scope: "col" }, e.objective.metricName),
      h("th", { scope: "col" }, "Finished"))),
    h("tbody", {}, trials.map((t) => {
      const assigned = new Map(t.parameterAssignments.map((a) => [a.name, a.value]));
      return h("tr", { "data-trial": t.name, "data-state": t.state, class: t.name === bestName ? "best" : null },
        h("td", { class: "num" }, t.index + 1),
        h("td", {}, t.jobId ? h("a", { href: `/jobs/${t.jobId}` }, t.name) : t.name, t.name === bestName ? h("span", { class: "best-mark" }, " (best)") : null),
        h("td", {}, stateBadge(t.state), t.message ? h("div", { class: "trial-message", title: t.message }, t.message) : null),
        e.parameters.map((p) => paramCell(p, assigned.get(p.name))),
        h("td", { class: "num" }, t.objective === null ? "—" : formatNumber(t.objective)),
        h("td", {}, time(t.finishedAt) || "—"));
    })));
}

/** A double as four significant digits (random search draws 0.0023327082256146556), in full on hover. */
function paramCell(parameter: ExperimentParameter | undefined, value: string | undefined): HTMLElement {
  if (value === undefined) return h("td", { class: "param" }, "—");
  const number = Number(value);
  const short = parameter?.type === "double" && value.trim() !== "" && Number.isFinite(number) ? formatNumber(number) : value;
  return h("td", { class: "param", title: short === value ? null : value }, short);
}

function searchSpace(parameters: ExperimentParameter[]): HTMLElement {
  return h("table", { class: "compact" },
    h("caption", { class: "visually-hidden" }, "The parameters searched"),
    h("thead", {}, h("tr", {}, ["Parameter", "Type", "Values", "Distribution"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, parameters.map((p) => h("tr", {},
      h("th", { scope: "row" }, p.name),
      h("td", {}, p.type),
      h("td", {}, p.list?.length ? p.list.join(", ") : `${p.min ?? "?"} to ${p.max ?? "?"}${p.step ? ` by ${p.step}` : ""}`),
      h("td", {}, p.distribution ?? "uniform")))));
}

function section(id: string, title: string, ...content: (Node | null)[]): HTMLElement {
  return h("section", { id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), ...content);
}

function fact(term: string, value: string | Node): Node[] {
  return [h("dt", {}, term), h("dd", {}, value)];
}
