// Queues: settings, what they hold, and their fair share against what their weight entitles them to.
import { getJson } from "../api";
import { bar, bytes, h, percent, replace } from "../dom";
import type { Route } from "../router";
import type { Queue } from "../types";

export async function queuesPage(main: HTMLElement, _route: Route, signal: AbortSignal): Promise<void> {
  const queues = (await getJson<{ items: Queue[] }>("/api/v1/queues", signal)).items;
  const quota = (q: Queue) => [
    q.quota.cpu ? `${q.quota.cpu} CPU` : null,
    q.quota.memory ? `${q.quota.memory} memory` : null,
    q.quota.gpu !== null ? `${q.quota.gpu} GPU` : null,
    q.quota.runningJobs !== null ? `${q.quota.runningJobs} running jobs` : null,
  ].filter(Boolean).join(", ") || "unlimited";

  replace(main,
    h("h1", {}, "Queues"),
    h("p", { class: "hint" },
      "Share is the queue's dominant share of the healthy clusters' capacity (the largest fraction of CPU, memory or GPU it holds); ",
      "entitlement is its weight over the weights of the queues that want capacity now. ",
      "The scheduler serves the queue furthest below its entitlement first."),
    h("table", { class: "queues" },
      h("thead", {}, h("tr", {}, ["Queue", "Weight", "Priority", "Policy", "Quota", "Holds", "Running", "Queued", "Fair share"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, queues.map((q) => h("tr", { "data-queue": q.name },
        h("th", { scope: "row" }, h("a", { href: `/jobs?queue=${encodeURIComponent(q.name)}` }, q.name)),
        h("td", {}, String(q.weight)),
        h("td", {}, String(q.priority)),
        h("td", {}, q.policy),
        h("td", {}, quota(q)),
        h("td", {}, `${q.usage.used.cpu} CPU, ${bytes(q.usage.used.memoryBytes)}${q.usage.used.gpu ? `, ${q.usage.used.gpu} GPU` : ""}`),
        h("td", {}, String(q.usage.runningJobs)),
        h("td", {}, String(q.usage.queuedJobs)),
        h("td", { class: "share" }, fairShare(q)))))));
}

function fairShare(q: Queue): Node {
  const f = q.fairShare;
  if (!f) {
    return h("span", { class: "hint" }, "no scheduler round yet");
  }
  const label = `share ${percent(f.share)} of entitlement ${f.demanding ? percent(f.entitlement) : "— (wants nothing now)"}`;
  return h("span", { class: "share-cell" },
    bar(f.entitlement > 0 ? f.share / f.entitlement : f.share > 0 ? 1 : 0, label),
    h("span", {}, label));
}
