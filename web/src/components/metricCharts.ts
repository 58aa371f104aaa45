// Pushed metrics, one uPlot chart per name, value over step (over time when no step was sent).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { h } from "../dom";
import type { Observation } from "../types";

export function metricCharts(observations: Observation[]): HTMLElement {
  const byName = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = byName.get(o.name) ?? [];
    list.push(o);
    byName.set(o.name, list);
  }
  if (byName.size === 0) {
    return h("p", { class: "hint" }, "No metrics pushed yet. A job pushes them with its GANTRY_JOB_TOKEN to POST /api/v1/jobs/{id}/metrics (the Python SDK's gantry.report_metrics).");
  }
  const grid = h("div", { class: "charts" });
  for (const name of [...byName.keys()].sort()) {
    grid.appendChild(chart(name, byName.get(name)!));
  }
  return grid;
}

function chart(name: string, points: Observation[]): HTMLElement {
  const bySteps = points.every((p) => p.step !== null);
  const x = (p: Observation) => (bySteps ? p.step! : Date.parse(p.timestamp ?? "") / 1000);
  const sorted = [...points].sort((a, b) => x(a) - x(b));
  const last = sorted[sorted.length - 1];
  const figure = h("figure", { class: "chart", "data-metric": name },
    h("figcaption", {}, h("strong", {}, name), ` — ${sorted.length} points, last ${formatValue(last.value)}${bySteps ? ` at step ${last.step}` : ""}`));
  const host = h("div", { role: "img", "aria-label": `${name} over ${bySteps ? "steps" : "time"}: ${sorted.length} points, last value ${formatValue(last.value)}` });
  figure.appendChild(host);
  const data: uPlot.AlignedData = [sorted.map(x), sorted.map((p) => p.value)];
  // uPlot measures nothing itself: give it the width the grid leaves, once it is in the page.
  requestAnimationFrame(() => {
    const width = Math.max(280, Math.floor(host.getBoundingClientRect().width) || 480);
    new uPlot({
      width,
      height: 220,
      scales: { x: { time: !bySteps } },
      axes: [{ label: bySteps ? "step" : undefined }, {}],
      series: [{ label: bySteps ? "step" : "time" }, { label: name, stroke: "#2563eb", width: 2, points: { show: sorted.length < 60 } }],
      legend: { show: true },
    }, data, host);
  });
  return figure;
}

function formatValue(value: number): string {
  return Math.abs(value) >= 1000 || value === Math.trunc(value) ? String(value) : value.toPrecision(4);
}
