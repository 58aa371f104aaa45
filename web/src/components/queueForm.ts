// An admin's form for a queue: the body of POST /api/v1/queues (new) or PUT /api/v1/queues/{name}
// (edit; the whole definition, so every field starts from what the queue holds). The server
// validates; its field errors are shown under the form.
import { ApiError, send } from "../api";
import { h, replace } from "../dom";
import type { Queue } from "../types";

const POLICIES = ["LeastLoaded", "BestFit", "LabelAffinity"];

export function queueForm(existing: Queue | null, saved: (queue: Queue) => void, cancelled: () => void): HTMLElement {
  const prefix = existing ? `edit-${existing.name}` : "new-queue";
  const field = (name: string, label: string, input: HTMLInputElement | HTMLSelectElement, hint?: string) => {
    input.id = `${prefix}-${name}`;
    input.name = name;
    return h("div", { class: "field" }, h("label", { for: input.id }, label), input, hint ? h("span", { class: "hint" }, hint) : null);
  };
  const text = (value: string | number | null | undefined, attrs: Record<string, string> = {}) =>
    h("input", { type: "text", value: value === null || value === undefined ? "" : String(value), ...attrs });
  const labels = (value: Record<string, string> | undefined) =>
    Object.entries(value ?? {}).map(([k, v]) => `${k}=${v}`).join(", ");

  const name = text(existing?.name, existing ? { readonly: "true" } : { required: "true", autocomplete: "off" });
  const weight = text(existing?.weight ?? 1, { inputmode: "decimal" });
  const priority = text(existing?.priority ?? 0, { inputmode: "numeric" });
  const policy = h("select", {}, POLICIES.map((p) => h("option", { value: p, selected: (existing?.policy ?? "LeastLoaded") === p }, p)));
  const cpu = text(existing?.quota.cpu, { placeholder: "unlimited" });
  const memory = text(existing?.quota.memory, { placeholder: "unlimited" });
  const gpu = text(existing?.quota.gpu, { placeholder: "unlimited", inputmode: "numeric" });
  const running = text(existing?.quota.runningJobs, { placeholder: "unlimited", inputmode: "numeric" });
  const selector = text(labels(existing?.clusterSelector), { placeholder: "region=eu, size=large" });
  const affinity = text(labels(existing?.affinity), { placeholder: "gpu-type=a100" });
  const users = text((existing?.allowedUsers ?? []).join(", "), { placeholder: "everyone" });
  const groups = text((existing?.allowedGroups ?? []).join(", "), { placeholder: "everyone" });
  const result = h("div", { class: "status", role: "status", "aria-live": "polite" });

  const form = h("form", { class: "queue-form panel", "aria-label": existing ? `Edit queue ${existing.name}` : "New queue" },
    h("h2", {}, existing ? `Edit queue ${existing.name}` : "New queue"),
    h("div", { class: "filters" },
      field("name", "Name", name),
      field("weight", "Weight", weight),
      field("priority", "Priority", priority),
      field("policy", "Policy", policy)),
    h("div", { class: "filters" },
      field("cpu", "CPU quota", cpu),
      field("memory", "Memory quota", memory),
      field("gpu", "GPU quota", gpu),
      field("runningJobs", "Running jobs quota", running)),
    h("div", { class: "filters" },
      field("clusterSelector", "Cluster selector", selector, "labels every cluster must have: k=v, comma-separated"),
      field("affinity", "Affinity", affinity, "labels LabelAffinity prefers")),
    h("div", { class: "filters" },
      field("allowedUsers", "Allowed users", users, "who may submit, comma-separated; empty with no groups: everyone"),
      field("allowedGroups", "Allowed groups", groups, "groups from the identity provider (OIDC, kubeflow-groups)")),
    h("div", { class: "row" },
      h("button", { type: "submit" }, existing ? "Save" : "Create queue"),
      h("button", { type: "button", class: "secondary", onclick: () => cancelled() }, "Cancel")),
    result);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.classList.remove("error");
    result.replaceChildren("Saving…");
    const body = {
      name: name.value.trim(),
      // Sent as typed: the server names a field that is not a number.
      weight: numberOrText(weight.value),
      priority: numberOrText(priority.value),
      quota: {
        cpu: cpu.value.trim() || null,
        memory: memory.value.trim() || null,
        gpu: gpu.value.trim() ? numberOrText(gpu.value) : null,
        runningJobs: running.value.trim() ? numberOrText(running.value) : null,
      },
      clusterSelector: parseLabels(selector.value),
      affinity: parseLabels(affinity.value),
      policy: policy.value,
      allowedUsers: parseList(users.value),
      allowedGroups: parseList(groups.value),
    };
    try {
      const path = existing ? `/api/v1/queues/${encodeURIComponent(existing.name)}` : "/api/v1/queues";
      const response = await send(path, { method: existing ? "PUT" : "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      saved((await response.json()) as Queue);
    } catch (error) {
      result.classList.add("error");
      if (error instanceof ApiError) {
        const fields = error.fieldMessages();
        replace(result,
          h("strong", {}, `${error.status} ${error.title}`),
          error.detail && !fields.length ? h("p", {}, error.detail) : null,
          fields.length ? h("ul", { class: "field-errors" }, fields.map((f) => h("li", {}, f))) : null);
      } else {
        result.replaceChildren(String(error));
      }
    }
  });
  queueMicrotask(() => (existing ? weight : name).focus());
  return form;
}

function numberOrText(value: string): number | string {
  const trimmed = value.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/** "a, b" as ["a", "b"]. */
function parseList(text: string): string[] {
  return text.split(",").map((p) => p.trim()).filter(Boolean);
}

/** "k=v, k2=v2" as an object; a part without '=' is kept as a key with an empty value for the server to refuse. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const equals = part.indexOf("=");
    labels[equals < 0 ? part : part.slice(0, equals).trim()] = equals < 0 ? "" : part.slice(equals + 1).trim();
  }
  return labels;
}
