// The job's log: the last lines at once, then, with follow, streamed until the job ends.
import { send } from "../api";
import { h } from "../dom";

const MAX_CHARS = 1_000_000; // keep the page light on a chatty job: the oldest text goes first

export function logView(jobId: string, active: boolean, signal: AbortSignal): HTMLElement {
  const pre = h("pre", { class: "log", tabindex: "0", "aria-label": "Job log", "aria-live": "off" });
  const follow = h("input", { id: "log-follow", type: "checkbox", checked: active });
  const note = h("span", { class: "hint", role: "status" });
  let streaming: AbortController | null = null;

  const write = (text: string, reset = false) => {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
    const content = (reset ? "" : pre.textContent ?? "") + text;
    pre.textContent = content.length > MAX_CHARS ? content.slice(content.length - MAX_CHARS) : content;
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };

  async function load(): Promise<void> {
    streaming?.abort();
    streaming = new AbortController();
    const mine = streaming;
    signal.addEventListener("abort", () => mine.abort(), { once: true });
    try {
      if (!follow.checked) {
        note.textContent = "";
        const response = await send(`/api/v1/jobs/${jobId}/logs?tail=1000`, { signal: mine.signal });
        write(await response.text(), true);
        return;
      }
      note.textContent = "following…";
      const response = await fetch(`/api/v1/jobs/${jobId}/logs?follow=true&tail=1000`, { signal: mine.signal });
      if (!response.ok || !response.body) {
        const problem = await response.json().catch(() => ({ title: `HTTP ${response.status}` }));
        note.textContent = problem.detail ?? problem.title;
        return;
      }
      write("", true);
      const reader = response.body.pipeThrough(new TextDecoderStream() as ReadableWritablePair<string, Uint8Array>).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        write(value);
      }
      note.textContent = "the log ended with the job";
      follow.checked = false;
    } catch (error) {
      if (!mine.signal.aborted) note.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  follow.addEventListener("change", () => void load());
  void load();
  return h("div", { class: "logs" },
    h("div", { class: "row" },
      h("label", { for: "log-follow", class: "inline" }, follow, " Follow"),
      h("button", { type: "button", class: "secondary small", onclick: () => void load() }, "Reload"),
      note),
    pre);
}
