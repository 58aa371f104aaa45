// Queues: settings, what they hold, and their fair share against what their weight entitles them to;
// admins create, edit and delete them here.
import { getJson, send } from "../api";
import { queueForm } from "../components/queueForm";
import { bar, bytes, h, percent, replace, showError, status } from "../dom";
import { isAdmin } from "../me";
import type { Route } from "../router";
import type { Queue } from "../types";

export async function queuesPage(main: HTMLElement, _route: Route, signal: AbortSignal): Promise<void> {
  const admin = isAdmin();
  const editor = h("div", { class: "queue-editor" });
  const message = status();
  const table = h("div", {});
  const newQueue = h("button", { type: "button" }, "New queue");
  newQueue.addEventListener("click", () => edit(null));
  replace(main,
    h("h1", {}, "Queues", admin ? newQueue : null),
    h("p", { class: "hint" },
      "Share is the queue's dominant share of the healthy clusters' capacity (the largest fraction of CPU, memory or GPU it holds); ",
      "entitlement is its weight over the weights of the queues that want capacity now. ",
      "The scheduler serves the queue furthest below its entitlement first."),
    editor, message, table);

  function edit(queue: Queue | null): void {
    message.classList.remove("error");
    replace(editor, queueForm(queue, async (saved) => {
      editor.replaceChildren();
      await load();
      message.textContent = `${queue ? "Saved" : "Created"} queue ${saved.name}.`;
    }, () => editor.replaceChildren()));
  }

  async function remove(queue: Queue, button: HTMLButtonElement): Promise<void> {
    if (!window.confirm(`Delete queue ${queue.name}?`)) {
      return;
    }
    button.disabled = true;
    message.classList.remove("error");
    try {
      await send(`/api/v1/queues/${encodeURIComponent(queue.name)}`, { method: "DELETE" });
      // Said once the list no longer shows it, so the message and the table agree.
      await load();
      message.textContent = `Deleted queue ${queue.name}.`;
    } catch (error) {
      showError(message, error);
      button.disabled = false;
    }
  }

  async function load(): Promise<void> {
    replace(table, render((await getJson<{ items: Queue[] }>("/api/v1/queues", signal)).items));
  }

  function actions(q: Queue): HTMLElement {
    const editButton = h("button", { type: "button", class: "secondary small", "aria-label": `Edit queue ${q.name}` }, "Edit");
    editButton.addEventListener("click", () => edit(q));
    const deleteButton = h("button", { type: "button", class: "secondary small", "aria-label": `Delete queue ${q.name}` }, "Delete");
    deleteButton.addEventListener("click", () => remove(q, deleteButton));
    return h("td", { class: "row" }, editButton, q.name === "default" ? null : deleteButton);
  }

  function render(queues: Queue[]): HTMLElement {
    const quota = (q: Queue) => [
      q.quota.cpu ? `${q.quota.cpu} CPU` : null,
      q.quota.memory ? `${q.quota.memory} memory` : null,
      q.quota.gpu !== null ? `${q.quota.gpu} GPU` : null,
      q.quota.runningJobs !== null ? `${q.quota.runningJobs} running jobs` : null,
    ].filter(Boolean).join(", ") || "unlimited";
    const columns = ["Queue", "Weight", "Priority", "Policy", "Quota", "Holds", "Running", "Queued", "Fair share", ...(admin ? ["Actions"] : [])];

    return h("table", { class: "queues" },
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, queues.map((q) => h("tr", { "data-queue": q.name },
        h("th", { scope: "row" }, h("a", { href: `/jobs?queue=${encodeURIComponent(q.name)}` }, q.name)),
        h("td", {}, String(q.weight)),
        h("td", {}, String(q.priority)),
        h("td", {}, q.policy),
        h("td", {}, quota(q)),
        h("td", {}, `${q.usage.used.cpu} CPU, ${bytes(q.usage.used.memoryBytes)}${q.usage.used.gpu ? `, ${q.usage.used.gpu} GPU` : ""}`),
        h("td", {}, String(q.usage.runningJobs)),
        h("td", {}, String(q.usage.queuedJobs)),
        h("td", { class: "share" }, fairShare(q)),
        admin ? actions(q) : null))));
  }

  await load();
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
