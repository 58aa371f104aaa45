// Submit a manifest as the user wrote it: JSON (the envelope or a bare manifest) or YAML
// (queue and priority from the gantry.io/queue and gantry.io/priority annotations).
import { ApiError, send } from "../api";
import { h, replace } from "../dom";
import type { Job } from "../types";

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
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (chosen) text.value = await chosen.text();
  });

  const form = h("form", { class: "submit", "aria-label": "Submit a job" },
    h("label", { for: "manifest" }, "Manifest (YAML or JSON)"),
    text,
    h("p", { id: "manifest-hint", class: "hint" },
      "A SparkApplication, PyTorchJob, JAXJob or Command manifest, or the JSON envelope {\"manifest\": …, \"queue\": …}. ",
      "In YAML the queue and priority come from the annotations gantry.io/queue and gantry.io/priority."),
    h("div", { class: "row" },
      h("button", { type: "submit" }, "Submit"),
      h("button", { type: "button", class: "secondary", onclick: () => { text.value = EXAMPLE; text.focus(); } }, "Fill in an example"),
      h("label", { for: "manifest-file", class: "inline" }, "or load a file: "),
      file),
    result);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.replaceChildren("Submitting…");
    result.classList.remove("error");
    const body = text.value;
    try {
      const response = await send("/api/v1/jobs", {
        method: "POST",
        headers: { "Content-Type": looksLikeJson(body) ? "application/json" : "application/yaml" },
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

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === "{" || first === "[";
}
