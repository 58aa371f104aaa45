// The optimisation history: the objective of each trial that has one, in creation order, and the
// best value so far as a step line. Plain SVG (each point a circle the tests can count and a
// pointer can hover for its trial), with the same facts in words for screen readers.
import { h } from "../dom";
import type { Trial } from "../types";
import { better, formatNumber, niceTicks, s } from "./svg";

const WIDTH = 900;
const HEIGHT = 300;
const MARGIN = { left: 68, right: 20, top: 16, bottom: 46 };

export function optimisationHistory(trials: Trial[], objective: { type: string; metricName: string }): HTMLElement {
  const points = trials
    .filter((t) => t.objective !== null && Number.isFinite(t.objective))
    .sort((a, b) => a.index - b.index)
    .map((t) => ({ trial: t, x: t.index + 1, y: t.objective! }));
  const figure = h("figure", { class: "svg-chart history-chart" });
  if (points.length === 0) {
    figure.append(h("figcaption", {}, h("strong", {}, "Optimisation history"), " — no trial has an objective yet."));
    return figure;
  }

  // The best value so far after each point, and the overall best (earliest on a tie, as the API's
  // currentOptimalTrial).
  const bestSoFar: number[] = [];
  let best = points[0];
  for (const p of points) {
    if (better(objective.type, p.y, best.y)) best = p;
    bestSoFar.push(best.y);
  }

  const lastTrial = Math.max(...trials.map((t) => t.index + 1), points[points.length - 1].x);
  const xDomain: [number, number] = [0.5, Math.max(lastTrial, 1) + 0.5];
  const values = points.map((p) => p.y);
  const yDomain = padded(Math.min(...values), Math.max(...values));
  const plot = { left: MARGIN.left, right: WIDTH - MARGIN.right, top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom };
  const xOf = (x: number) => plot.left + ((x - xDomain[0]) / (xDomain[1] - xDomain[0])) * (plot.right - plot.left);
  const yOf = (y: number) => plot.bottom - ((y - yDomain[0]) / (yDomain[1] - yDomain[0])) * (plot.bottom - plot.top);

  const direction = objective.type === "maximize" ? "maximize" : "minimize";
  const summary = `${objective.metricName} (${direction}) of ${points.length} ${points.length === 1 ? "trial" : "trials"} in creation order: ` +
    `first ${formatNumber(points[0].y)}, best ${formatNumber(best.y)} at trial ${best.x} (${best.trial.name})` +
    (points.length > 1 ? `, last ${formatNumber(points[points.length - 1].y)}.` : ".");

  const svg = s("svg", { class: "history", width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": `Optimisation history: ${summary}` });

  // Axes with their ticks and grid lines.
  const xTicks = niceTicks(1, Math.max(lastTrial, 1), Math.min(10, lastTrial), true);
  const yTicks = niceTicks(yDomain[0], yDomain[1], 5);
  svg.append(
    s("g", { class: "grid", "aria-hidden": "true" },
      yTicks.map((t) => s("line", { x1: plot.left, x2: plot.right, y1: yOf(t), y2: yOf(t) }))),
    s("g", { class: "axis", "aria-hidden": "true" },
      s("line", { x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom }),
      s("line", { x1: plot.left, x2: plot.left, y1: plot.top, y2: plot.bottom }),
      xTicks.map((t) => s("text", { x: xOf(t), y: plot.bottom + 16, "text-anchor": "middle" }, t)),
      yTicks.map((t) => s("text", { x: plot.left - 6, y: yOf(t) + 4, "text-anchor": "end" }, formatNumber(t))),
      s("text", { class: "axis-label", x: (plot.left + plot.right) / 2, y: HEIGHT - 8, "text-anchor": "middle" }, "trial (creation order)"),
      s("text", { class: "axis-label", x: 14, y: (plot.top + plot.bottom) / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${(plot.top + plot.bottom) / 2})` }, objective.metricName)));

  // The best so far: flat until a trial improves on it, then a step to the new best.
  let path = `M ${xOf(points[0].x)} ${yOf(bestSoFar[0])}`;
  for (let i = 1; i < points.length; i++) {
    path += ` H ${xOf(points[i].x)} V ${yOf(bestSoFar[i])}`;
  }
  svg.append(s("path", { class: "best-line", d: path, fill: "none" }));

  svg.append(s("g", { class: "points" }, points.map((p, i) => {
    const improved = i === 0 || bestSoFar[i] !== bestSoFar[i - 1];
    return s("circle", {
      class: `point${improved ? " improved" : ""}${p === best ? " best" : ""}`,
      cx: xOf(p.x), cy: yOf(p.y), r: p === best ? 6 : 4,
      "data-trial": p.trial.name,
    }, s("title", {}, `Trial ${p.x} (${p.trial.name}, ${p.trial.state}): ${objective.metricName} ${formatNumber(p.y)}; best so far ${formatNumber(bestSoFar[i])}`));
  })));

  figure.append(
    h("figcaption", {}, h("strong", {}, "Optimisation history"), ` — ${summary}`),
    h("div", { class: "chart-scroll" }, svg),
    h("p", { class: "legend", "aria-hidden": "true" },
      h("span", { class: "swatch swatch-point" }), " a trial's objective ",
      h("span", { class: "swatch swatch-best" }), " best so far ",
      h("span", { class: "swatch swatch-top" }), " the best trial"));
  return figure;
}

/** A value range with some air, never empty. */
export function padded(min: number, max: number): [number, number] {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - pad, max + pad];
  }
  const pad = (max - min) * 0.06;
  return [min - pad, max + pad];
}
