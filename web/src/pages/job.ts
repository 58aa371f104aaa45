// One job: its facts, live state, timeline, "why queued", logs, metrics and Spark UI link.
import { ApiError, getJson, postJson } from "../api";
import { bytes, h, replace, showError, stateBadge, status, time } from "../dom";
import type { Route } from "../router";
import { readSse } from "../sse";
import { logView } from "../components/logView";
import { metricCharts } from "../components/metricCharts";
import { TERMINAL_STATES, type Explain, type Job, type JobEvent, type Observation, type SparkUiLink, type WatchEvent } from "../types";

const METRICS_REFRESH_MS = 5000;

export async function jobPage(main: HTMLElement, route: Route, signal: AbortSignal): Promise<void> {
  const id = route.params.id;
  let job: Job;
  try {
    job = await getJson<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`, signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      replace(main, h("h1", {}, "No such job"), h("p", {}, `There is no job ${id} that you may see. `, h("a", { href: "/jobs" }, "Back to the jobs.")));
      return;
    }
    throw error;
  }

  const header = h("div", { class: "job-header" });
  const facts = h("dl", { class: "facts" });
  const spark = h("div", { class: "spark" });
  const timeline = h("ol", { class: "timeline", "aria-label": "State timeline" });
  const explain = h("div", { class: "explain" });
  const metrics = h("div", { class: "metrics" });
  const metricsStatus = status();
  const live = status();

  replace(main,
    h("p", {}, h("a", { href: "/jobs" }, "← Jobs")),
    header,
    live,
    facts,
    spark,
    section("why", "Why it is where it is", explain),
    section("timeline", "State timeline", timeline),
    section("logs", "Logs", logView(job.id, !TERMINAL_STATES.includes(job.state), signal)),
    section("metrics", "Metrics", h("button", { type: "button", class: "secondary small", onclick: () => void loadMetrics() }, "Refresh"), metricsStatus, metrics));

  function show(): void {
    const cancel = TERMINAL_STATES.includes(job.state) || job.state === "Cancelling"
      ? null
      : h("button", { type: "button", onclick: async (e: Event) => {
          const button = e.currentTarget as HTMLButtonElement;
          button.disabled = true;
          try { job = await postJson<Job>(`/api/v1/jobs/${job.id}/cancel`); show(); } catch (error) { button.disabled = false; showError(live, error); }
        } }, "Cancel job");
    replace(header, h("h1", {}, job.name || job.id, " ", stateBadge(job.state)), cancel);
    const d = job.demand;
    replace(facts,
      fact("ID", h("code", {}, job.id)),
      fact("Kind", job.kind),
      fact("Queue", job.queue),
      fact("Owner", job.owner),
      fact("Priority", String(job.priority)),
      fact("Cluster", job.cluster ?? "not placed"),
      // The manifest's own name is replaced by Gantry's: show what kubectl finds.
      fact("Resource", job.resource ? h("code", {}, `${job.resource.kind} ${job.resource.namespace}/${job.resource.name}`) : "—"),
      ...trainJobFacts(job),
      ...experimentFact(job),
      fact("Demand", `${d.cpu} CPU, ${bytes(d.memoryBytes)} memory${d.gpu ? `, ${d.gpu} GPU` : ""} in ${pods(d.pods.reduce((n, p) => n + p.count, 0))}`),
      fact("Attempts", `${job.attempts} of ${job.maxAttempts}`),
      fact("Created", time(job.createdAt)),
      fact("Started", time(job.startedAt) || "—"),
      fact("Finished", time(job.finishedAt) || "—"),
      fact("Labels", Object.entries(job.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "—"),
      fact("Message", job.message || "—"));
    replace(spark, sparkLink(job));
  }

  async function loadTimeline(): Promise<void> {
    const events = await getJson<{ items: JobEvent[] }>(`/api/v1/jobs/${job.id}/events`, signal);
    replace(timeline, events.items.map((e) => h("li", {},
      h("time", { datetime: e.at }, time(e.at)), " ",
      e.from ? [stateBadge(e.from), " → "] : null, stateBadge(e.to),
      e.reason ? h("span", { class: "reason" }, ` ${e.reason}`) : null)));
  }

  async function loadExplain(): Promise<void> {
    const answer = await getJson<Explain>(`/api/v1/jobs/${job.id}/explain`, signal);
    replace(explain,
      h("p", { class: "summary" }, answer.summary),
      answer.clusters.length ? h("table", {},
        h("caption", {}, "Each cluster's answer" + (answer.evaluatedAt ? ` (scheduler round at ${time(answer.evaluatedAt)})` : "")),
        h("thead", {}, h("tr", {}, ["Cluster", "Fits", "Why", "Needs", "Free"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, answer.clusters.map((c) => h("tr", {},
          h("td", {}, c.name), h("td", {}, c.fits ? "yes" : "no"), h("td", {}, c.reason),
          h("td", {}, `${c.needed.cpu} CPU, ${bytes(c.needed.memoryBytes)}${c.needed.gpu ? `, ${c.needed.gpu} GPU` : ""}`),
          h("td", {}, `${c.free.cpu} CPU, ${bytes(c.free.memoryBytes)}${c.free.gpu ? `, ${c.free.gpu} GPU` : ""}`))))) : null);
  }

  async function loadMetrics(): Promise<void> {
    try {
      const observations = await getJson<{ items: Observation[] }>(`/api/v1/jobs/${job.id}/metrics`, signal);
      replace(metrics, metricCharts(observations.items));
      metricsStatus.textContent = "";
    } catch (error) {
      if (!signal.aborted) showError(metricsStatus, error);
    }
  }

  show();
  await Promise.all([loadTimeline(), loadExplain(), loadMetrics()]);

  // Metrics arrive by push, not as state changes: look again now and then while the job runs.
  const timer = setInterval(() => { if (!TERMINAL_STATES.includes(job.state)) void loadMetrics(); }, METRICS_REFRESH_MS);
  signal.addEventListener("abort", () => clearInterval(timer), { once: true });

  if (!TERMINAL_STATES.includes(job.state)) {
    live.textContent = "Live: the state updates as it changes.";
    void readSse(`/api/v1/jobs/${job.id}/watch`, signal, {
      onMessage: (message) => {
        if (message.event !== "state") return;
        const change = JSON.parse(message.data) as WatchEvent;
        // A watch event carries the job without its manifest: keep the one the page loaded.
        job = { ...change.job, manifest: change.job.manifest ?? job.manifest };
        show();
        void loadTimeline();
        void loadExplain();
      },
      onEnd: () => {
        live.textContent = `The job ended: ${job.state}.`;
        void loadMetrics();
      },
      onError: () => { live.textContent = "Live updates lost; reload the page to reconnect."; },
    });
  }
}

function sparkLink(job: Job): HTMLElement | null {
  if (job.kind !== "SparkApplication") return null;
  if (job.sparkUiUrl && !TERMINAL_STATES.includes(job.state)) {
    const hint = status();
    // The UI lives on its own origin, which never sees our token: each click asks the API for a
    // short-lived signed link (it sets a cookie there for this one job's UI) and opens that.
    const link = h("a", { href: job.sparkUiUrl, target: "_blank", rel: "noopener noreferrer", onclick: (e: Event) => {
      e.preventDefault();
      const tab = window.open("about:blank", "_blank");
      if (tab) tab.opener = null;
      postJson<SparkUiLink>(`/api/v1/jobs/${job.id}/spark-ui/link`).then(
        (answer) => {
          if (tab) tab.location.replace(answer.url);
          else window.open(answer.url, "_blank", "noopener,noreferrer");
          hint.textContent = "";
        },
        (error) => { tab?.close(); showError(hint, error); });
    } }, "Open the Spark UI");
    return h("div", {}, h("p", {}, link, " (opens in a new tab, on the gateway's Spark UI origin)."), hint);
  }
  if (TERMINAL_STATES.includes(job.state)) {
    return h("p", { class: "hint" }, "The Spark driver has ended, and its UI with it. ", h("a", { href: "#logs" }, "Read the driver's log"), " below.");
  }
  return h("p", { class: "hint" }, "The Spark UI appears here once the driver runs.");
}

function pods(count: number): string {
  return count === 1 ? "1 pod" : `${count} pods`;
}

function section(id: string, title: string, ...content: (Node | null)[]): HTMLElement {
  return h("section", { id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), ...content);
}

function fact(term: string, value: string | Node): Node[] {
  return [h("dt", {}, term), h("dd", {}, value)];
}

/** A TrainJob's runtime and its nodes (node-0-0 is rank 0, whose log the logs view shows first). */
function trainJobFacts(job: Job): Node[] {
  if (job.kind !== "TrainJob") return [];
  const spec = (job.manifest?.["spec"] ?? {}) as { runtimeRef?: { name?: string; kind?: string }; trainer?: { numNodes?: number } };
  const runtime = spec.runtimeRef?.name ?? "?";
  const fromDemand = job.demand.pods.find((p) => p.role === "node")?.count;
  const nodes = spec.trainer?.numNodes ?? fromDemand ?? 1;
  const names = Array.from({ length: Math.min(nodes, 8) }, (_, i) => `node-0-${i}`).join(", ") + (nodes > 8 ? ", …" : "");
  return [
    ...fact("Runtime", `${spec.runtimeRef?.kind ?? "ClusterTrainingRuntime"} ${runtime}`),
    ...fact("Nodes", `${nodes} (${names})`),
  ];
}

/** A trial's job links its experiment (the controller labels each trial job). */
function experimentFact(job: Job): Node[] {
  const experiment = job.labels["gantry.io/experiment"];
  if (!experiment) return [];
  const trial = job.labels["gantry.io/trial"];
  return fact("Experiment", h("span", {}, h("a", { href: `/experiments/${encodeURIComponent(experiment)}` }, experiment), trial ? ` (trial ${trial})` : ""));
}
