// The audit trail (admins): GET /api/v1/audit, newest first, filtered by actor, action (or a
// resource such as "queue") and since, in pages through its cursor.
import { getJson, query } from "../api";
import { h, replace, showError, status, time } from "../dom";
import { isAdmin } from "../me";
import type { Route } from "../router";
import type { AuditEntry, AuditList } from "../types";

const RESOURCES = ["queue", "cluster", "share", "user", "token", "session"];

export async function auditPage(main: HTMLElement, route: Route, signal: AbortSignal): Promise<void> {
  if (!isAdmin()) {
    replace(main,
      h("h1", {}, "Audit"),
      h("p", { class: "error", role: "alert" }, "Admins only: the audit trail is shown to admins. ", h("a", { href: "/jobs" }, "Go to the jobs.")));
    return;
  }
  const filters = { actor: route.search.get("actor") ?? "", action: route.search.get("action") ?? "", since: route.search.get("since") ?? "" };
  const rows = h("tbody");
  const listStatus = status();
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Load more");
  let nextCursor: string | null = null;

  const actor = h("input", { id: "audit-actor", name: "actor", value: filters.actor, autocomplete: "off" });
  const action = h("input", { id: "audit-action", name: "action", value: filters.action, list: "audit-actions", autocomplete: "off" });
  const since = h("input", { id: "audit-since", name: "since", type: "datetime-local", step: 1, value: localInput(filters.since) });
  const form = h("form", { class: "filters", "aria-label": "Filter the audit trail" },
    h("div", { class: "field" }, h("label", { for: "audit-actor" }, "Who"), actor),
    h("div", { class: "field" }, h("label", { for: "audit-action" }, "Action or resource"), action,
      h("datalist", { id: "audit-actions" }, RESOURCES.map((r) => h("option", { value: r })))),
    h("div", { class: "field" }, h("label", { for: "audit-since" }, "Since (your time)"), since),
    h("button", { type: "submit" }, "Apply"),
    h("button", { type: "button", class: "secondary", onclick: () => { actor.value = ""; action.value = ""; since.value = ""; form.requestSubmit(); } }, "Clear"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    filters.actor = actor.value.trim();
    filters.action = action.value.trim();
    filters.since = since.value ? new Date(since.value).toISOString() : "";
    history.replaceState(null, "", `/audit${query(filters)}`);
    void reload();
  });
  more.addEventListener("click", () => void loadPage(nextCursor));

  replace(main,
    h("h1", {}, "Audit"),
    h("p", { class: "hint" },
      "Admin actions and sign-ins, newest first: who did what to what, and when. ",
      "Action is one such as ", h("code", {}, "queue.create"), ", or a resource (", h("code", {}, "queue"), ") for every action on it."),
    form,
    h("table", { class: "audit" },
      h("caption", { class: "visually-hidden" }, "Audit trail, newest first"),
      h("thead", {}, h("tr", {}, ["When", "Who", "Action", "Target", "Detail"].map((c) => h("th", { scope: "col" }, c)))),
      rows),
    listStatus,
    more);

  async function reload(): Promise<void> {
    rows.replaceChildren();
    nextCursor = null;
    await loadPage(null);
  }

  async function loadPage(cursor: string | null): Promise<void> {
    more.disabled = true;
    listStatus.classList.remove("error");
    listStatus.textContent = "Loading…";
    try {
      const page = await getJson<AuditList>(`/api/v1/audit${query({ ...filters, cursor })}`, signal);
      append(page.items);
      nextCursor = page.nextCursor;
      more.hidden = nextCursor === null;
      listStatus.textContent = rows.childElementCount === 0 ? "Nothing in the audit trail matches." : "";
    } catch (error) {
      if (!signal.aborted) showError(listStatus, error);
    } finally {
      more.disabled = false;
    }
  }

  function append(entries: AuditEntry[]): void {
    for (const e of entries) {
      rows.appendChild(h("tr", {},
        h("td", { class: "num" }, h("time", { datetime: e.at }, time(e.at))),
        h("td", {}, e.actor),
        h("td", {}, h("code", {}, e.action)),
        h("td", { class: "id" }, e.target),
        h("td", {}, e.detail)));
    }
  }

  await loadPage(null);
}

/** An RFC 3339 time as a datetime-local input's value, in the browser's time zone. */
function localInput(iso: string): string {
  const at = iso ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}
