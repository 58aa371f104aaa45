// Submit a manifest as the user wrote it: JSON (the envelope or a bare manifest) or YAML
// (queue and priority from the gantry.io/queue and gantry.io/priority annotations).
import { ApiError, getJson, send } from "../api";
import { h, replace } from "../dom";
import type { Job, Queue } from "../types";

const EXAMPLE = `# A command job; the queue comes from the annotation.
kind: Command
metadata:
  name: hello
  annotations:
    gantry.io/queue: default
spec:
  command: ["sh", "-c", "for i in 1 2 3; do echo step $i; sleep 1; done"]
  resources:
    cpu: 250m
    memory: 64Mi
`;

export function submitForm(submitted: (job: Job) => void): HTMLElement {
  const text = h("textarea", { id: "manifest", name: "manifest", rows: 12, spellcheck: "false", required: true, "aria-describedby": "manifest-hint" });
  const file = h("input", { id: "manifest-file", type: "file", accept: ".yaml,.yml,.json" });
  const result = h("div", { class: "status", role: "status", "aria-live": "polite" });
  // The queue picker: empty keeps the manifest's own queue (annotation or envelope).
  const queue = h("select", { id: "submit-queue", name: "queue" }, h("option", { value: "" }, "as the manifest says"));
  getJson<{ items: Queue[] }>("/api/v1/queues")
    .then((list) => queue.append(...list.items.map((q) => h("option", { value: q.name }, q.name))))
    .catch(() => undefined); // Without the list the manifest's queue still applies.
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (chosen) text.value = await chosen.text();
  });

  const form = h("form", { class: "submit", "aria-label": "Submit a job" },
    h("label", { for: "manifest" }, "Manifest (YAML or JSON)"),
    text,
    h("p", { id: "manifest-hint", class: "hint" },
      "A SparkApplication, PyTorchJob, JAXJob or Command manifest, or the JSON envelope {\"manifest\": …, \"queue\": …}. ",
      "In YAML the queue and priority come from the annotations gantry.io/queue and gantry.io/priority; a queue picked below replaces the manifest's."),
    h("div", { class: "row" },
      h("label", { for: "submit-queue", class: "inline" }, "Queue: "),
      queue,
      h("button", { type: "submit" }, "Submit"),
      h("button", { type: "button", class: "secondary", onclick: () => { text.value = EXAMPLE; text.focus(); } }, "Fill in an example"),
      h("label", { for: "manifest-file", class: "inline" }, "or load a file: "),
      file),
    result);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.replaceChildren("Submitting…");
    result.classList.remove("error");
    const json = looksLikeJson(text.value);
    const body = queue.value ? withQueue(text.value, json, queue.value) : text.value;
    try {
      const response = await send("/api/v1/jobs", {
        method: "POST",
        headers: { "Content-Type": json ? "application/json" : "application/yaml" },
        body,
      });
      const job = (await response.json()) as Job;
      result.replaceChildren("Submitted ", h("a", { href: `/jobs/${job.id}` }, job.name || job.id), ` (${job.id}) to queue ${job.queue}.`);
      submitted(job);
    } catch (error) {
      result.classList.add("error");
      if (error instanceof ApiError) {
        const fields = error.fieldMessages();
        replace(result,
          h("strong", {}, `${error.status} ${error.title}`),
          error.detail ? h("p", {}, error.detail) : null,
          fields.length ? h("ul", { class: "field-errors" }, fields.map((f) => h("li", {}, f))) : null);
      } else {
        result.replaceChildren(String(error));
      }
    }
  });
  return form;
}

/**
 * The manifest sent to the picked queue: JSON gets the envelope's "queue" (a bare manifest is
 * wrapped in one); YAML gets the gantry.io/queue annotation, replaced or added under metadata.
 * Text that is neither is sent as it is, for the server to name what is wrong.
 */
export function withQueue(text: string, json: boolean, queue: string): string {
  if (json) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const envelope = parsed && typeof parsed === "object" && "manifest" in parsed ? parsed : { manifest: parsed };
      return JSON.stringify({ ...envelope, queue });
    } catch {
      return text;
    }
  }
  const annotation = /^([ \t]*)gantry\.io\/queue:.*$/m;
  if (annotation.test(text)) {
    return text.replace(annotation, (_line, indent: string) => `${indent}gantry.io/queue: ${JSON.stringify(queue)}`);
  }
  const annotations = /^([ \t]+)annotations:\s*$/m.exec(text);
  if (annotations) {
    const at = annotations.index + annotations[0].length;
    return `${text.slice(0, at)}\n${annotations[1]}  gantry.io/queue: ${JSON.stringify(queue)}${text.slice(at)}`;
  }
  const metadata = /^metadata:\s*$/m.exec(text);
  if (metadata) {
    const at = metadata.index + metadata[0].length;
    return `${text.slice(0, at)}\n  annotations:\n    gantry.io/queue: ${JSON.stringify(queue)}${text.slice(at)}`;
  }
  return `metadata:\n  annotations:\n    gantry.io/queue: ${JSON.stringify(queue)}\n${text}`;
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === "{" || first === "[";
}
