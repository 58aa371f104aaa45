// Clusters: health, capacity and free capacity per resource; for admins cordon, uncordon, the connectivity test
// and the gateway replicas (which one leads, the last heartbeat of each).
import { postJson, getJson } from "../api";
import { bar, bytes, h, replace, showError, status, time } from "../dom";
import { isAdmin } from "../me";
import type { Route } from "../router";
import type { Cluster, ClusterTest, ReplicaList, Resources } from "../types";

export async function clustersPage(main: HTMLElement, _route: Route, signal: AbortSignal): Promise<void> {
  const list = h("div", { class: "clusters" });
  const replicas = h("section", { class: "replicas", "aria-labelledby": "replicas-title" });
  replace(main, h("h1", {}, "Clusters"), list, isAdmin() ? replicas : null);

  async function load(): Promise<void> {
    const clusters = (await getJson<{ items: Cluster[] }>("/api/v1/clusters", signal)).items;
    replace(list, clusters.length ? clusters.map(card) : h("p", {}, "No clusters are registered."));
    if (isAdmin()) {
      replace(replicas, h("h2", { id: "replicas-title" }, "Gateway replicas"), replicaTable(await getJson<ReplicaList>("/api/v1/replicas", signal)));
    }
  }

  function card(cluster: Cluster): HTMLElement {
    const result = h("div", { class: "test-result" });
    const message = status();
    const act = async (button: HTMLButtonElement, action: () => Promise<void>) => {
      button.disabled = true;
      message.classList.remove("error");
      try {
        await action();
      } catch (error) {
        showError(message, error);
      } finally {
        button.disabled = false;
      }
    };
    const cordon = h("button", { type: "button", class: "secondary" }, cluster.cordoned ? "Uncordon" : "Cordon");
    cordon.setAttribute("aria-label", `${cluster.cordoned ? "Uncordon" : "Cordon"} cluster ${cluster.name}`);
    cordon.addEventListener("click", () => act(cordon, async () => {
      await postJson(`/api/v1/clusters/${encodeURIComponent(cluster.name)}/${cluster.cordoned ? "uncordon" : "cordon"}`);
      await load();
      document.querySelector<HTMLButtonElement>(`[data-cluster="${CSS.escape(cluster.name)}"] button`)?.focus();
    }));
    const test = h("button", { type: "button", class: "secondary", "aria-label": `Test connectivity of cluster ${cluster.name}` }, "Test connectivity");
    test.addEventListener("click", () => act(test, async () => {
      result.replaceChildren("Testing…");
      replace(result, testTable(await postJson<ClusterTest>(`/api/v1/clusters/${encodeURIComponent(cluster.name)}/test`)));
    }));

    return h("article", { class: "cluster", "data-cluster": cluster.name, "aria-labelledby": `cluster-${cluster.name}` },
      h("h2", { id: `cluster-${cluster.name}` }, cluster.name, " ",
        h("span", { class: `health ${cluster.healthy ? "ok" : "bad"}` }, cluster.healthy ? "healthy" : "unhealthy"),
        cluster.cordoned ? h("span", { class: "health warn" }, "cordoned") : null),
      h("p", { class: "hint" }, `${cluster.type}`,
        cluster.kinds.length ? ` · runs ${cluster.kinds.join(", ")}` : "",
        Object.keys(cluster.labels).length ? ` · ${Object.entries(cluster.labels).map(([k, v]) => `${k}=${v}`).join(", ")}` : ""),
      cluster.healthy ? null : h("p", { class: "error" }, cluster.message, cluster.unhealthySince ? ` (since ${time(cluster.unhealthySince)})` : ""),
      h("div", { class: "cluster-body" },
        capacityTable(cluster.capacity, cluster.free),
        isAdmin() ? h("div", { class: "row" }, cordon, test) : null),
      message,
      result);
  }

  await load();
}

function capacityTable(capacity: Resources, free: Resources): HTMLElement {
  const rows: [string, number, number, string, string][] = [
    ["CPU", capacity.cpuMillicores, free.cpuMillicores, capacity.cpu, free.cpu],
    ["Memory", capacity.memoryBytes, free.memoryBytes, bytes(capacity.memoryBytes), bytes(free.memoryBytes)],
    ["GPU", capacity.gpu, free.gpu, String(capacity.gpu), String(free.gpu)],
  ];
  return h("table", { class: "capacity" },
    h("thead", {}, h("tr", {}, ["Resource", "Capacity", "Free", "In use"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map(([name, total, left, totalText, freeText]) => h("tr", {},
      h("th", { scope: "row" }, name),
      h("td", {}, totalText),
      h("td", {}, freeText),
      h("td", {}, total > 0 ? bar((total - left) / total, `${name}: ${Math.round(((total - left) / total) * 100)}% in use`) : "—")))));
}

function replicaTable(list: ReplicaList): HTMLElement {
  return h("table", { class: "replicas-table" },
    h("caption", {}, list.leaseHolder ? `Leader: ${list.leaseHolder} (epoch ${list.epoch})` : "No replica leads right now"),
    h("thead", {}, h("tr", {}, ["Replica", "Host", "Version", "Started", "Last heartbeat", "Role"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, list.items.map((r) => h("tr", { "data-replica": r.id },
      h("td", {}, r.id), h("td", {}, r.host), h("td", {}, r.version), h("td", {}, time(r.started)), h("td", {}, time(r.lastHeartbeat)),
      h("td", { class: r.leader ? "ok" : "" }, r.leader ? `leader (epoch ${r.epoch})` : "follower")))));
}

function testTable(test: ClusterTest): HTMLElement {
  return h("table", { class: "checks" },
    h("caption", {}, `Connectivity test: ${test.ok ? "every check passed" : "some checks failed"}`,
      test.version ? ` · Kubernetes ${test.version}` : "", test.reachable ? "" : " · not reachable"),
    h("thead", {}, h("tr", {}, ["Check", "Result", "Detail"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, test.checks.map((c) => h("tr", {},
      h("td", {}, c.check), h("td", { class: c.ok ? "ok" : "bad" }, c.ok ? "ok" : "failed"), h("td", {}, c.message)))));
}
