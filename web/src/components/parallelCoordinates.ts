// Parallel coordinates: one vertical axis per search-space parameter and one for the objective,
// one line per trial that has an objective, coloured from worse (light) to better (dark). Numeric
// parameters span their feasible space (a log scale for log distributions); categorical and
// discrete ones put their list values at even steps. Plain SVG, wide spaces scroll sideways.
import { h } from "../dom";
import type { ExperimentParameter, Trial } from "../types";
import { formatNumber, logTicks, niceTicks, s } from "./svg";
import { padded } from "./optimisationHistory";

// Axes spread over about 1000 px (what a laptop's page leaves), never closer than 130 px.
const SPREAD = 900;
const AXIS_GAP = { min: 130, max: 220 };
const HEIGHT = 340;
const MARGIN = { left: 90, right: 90, top: 46, bottom: 40 };
const LABEL_CHARS = 18;
// Worse to better; darker is better so the best lines stand out on white.
const RAMP = ["#f2cc8f", "#e07a5f", "#3d85c6", "#1b2a6b"];

interface Axis {
  name: string;
  label: string;
  /** 0 (bottom) .. 1 (top) for a value, or null when it is not on the axis. */
  position: (value: string | number) => number | null;
  ticks: { at: number; text: string }[];
  scale: string;
}

export function parallelCoordinates(parameters: ExperimentParameter[], trials: Trial[], objective: { type: string; metricName: string }): HTMLElement {
  const figure = h("figure", { class: "svg-chart parallel-chart" });
  const scored = trials.filter((t) => t.objective !== null && Number.isFinite(t.objective));
  if (scored.length === 0 || parameters.length === 0) {
    figure.append(h("figcaption", {}, h("strong", {}, "Parameters against the objective"), " — no trial has an objective yet."));
    return figure;
  }

  const values = scored.map((t) => t.objective!);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const axes: Axis[] = parameters.map((p) => parameterAxis(p, trials));
  axes.push(numericAxis(objective.metricName, objective.metricName, objective.type === "maximize" ? "maximize" : "minimize", low, high, false, true));

  const gap = Math.max(AXIS_GAP.min, Math.min(AXIS_GAP.max, SPREAD / (axes.length - 1)));
  const width = MARGIN.left + gap * (axes.length - 1) + MARGIN.right;
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  const xOf = (i: number) => MARGIN.left + gap * i;
  const yOf = (position: number) => bottom - position * (bottom - top);
  // 0 = the worst objective seen, 1 = the best.
  const goodness = (v: number) => (high === low ? 1 : objective.type === "maximize" ? (v - low) / (high - low) : (high - v) / (high - low));

  const summary = `${scored.length} ${scored.length === 1 ? "trial" : "trials"} across ${parameters.length} ${parameters.length === 1 ? "parameter" : "parameters"} ` +
    `(${parameters.map((p) => p.name).join(", ")}) and ${objective.metricName}, from ${formatNumber(objective.type === "maximize" ? low : high)} (worst) ` +
    `to ${formatNumber(objective.type === "maximize" ? high : low)} (best); darker lines are better.`;
  const svg = s("svg", { class: "parallel", width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: "img", "aria-label": `Parallel coordinates: ${summary}` });

  // Worst first, so the best lines are drawn on top.
  const lines = [...scored].sort((a, b) => goodness(a.objective!) - goodness(b.objective!));
  svg.append(s("g", { class: "lines" }, lines.map((trial) => {
    const assigned = new Map(trial.parameterAssignments.map((a) => [a.name, a.value]));
    const points: string[] = [];
    axes.forEach((axis, i) => {
      const value = i === axes.length - 1 ? trial.objective! : assigned.get(axis.name);
      const position = value === undefined ? null : axis.position(value);
      // A value off its axis (not assigned, not in the list) breaks nothing: the line skips it.
      if (position !== null) points.push(`${xOf(i)},${yOf(position).toFixed(1)}`);
    });
    const description = trial.parameterAssignments.map((a) => `${a.name}=${a.value}`).join(", ");
    return s("polyline", { class: "trial", points: points.join(" "), fill: "none", stroke: colour(goodness(trial.objective!)), "data-trial": trial.name },
      s("title", {}, `${trial.name} (${trial.state}): ${description}; ${objective.metricName} ${formatNumber(trial.objective!)}`));
  })));

  svg.append(s("g", { class: "axes" }, axes.map((axis, i) => {
    const x = xOf(i);
    const short = axis.label.length > LABEL_CHARS ? axis.label.slice(0, LABEL_CHARS - 1) + "…" : axis.label;
    return s("g", { class: "axis", "data-axis": axis.name },
      s("line", { x1: x, x2: x, y1: top, y2: bottom }),
      s("text", { class: "axis-label", x, y: top - 24, "text-anchor": "middle" }, short, s("title", {}, axis.label)),
      s("text", { class: "axis-scale", x, y: top - 10, "text-anchor": "middle" }, axis.scale),
      axis.ticks.map((t) => s("g", { class: "tick" },
        s("line", { x1: x - 4, x2: x, y1: yOf(t.at), y2: yOf(t.at) }),
        s("text", { x: x - 7, y: yOf(t.at) + 4, "text-anchor": "end" }, t.text.length > 12 ? t.text.slice(0, 11) + "…" : t.text))));
  })));

  // The colour key: a gradient from the worst objective to the best.
  const gradient = s("linearGradient", { id: "parallel-ramp", x1: 0, x2: 1, y1: 0, y2: 0 },
    RAMP.map((c, i) => s("stop", { offset: i / (RAMP.length - 1), "stop-color": c })));
  const keyX = Math.max(MARGIN.left, width - MARGIN.right - 200);
  svg.append(s("defs", {}, gradient),
    s("g", { class: "key", "aria-hidden": "true" },
      s("rect", { x: keyX, y: HEIGHT - 18, width: 200, height: 8, fill: "url(#parallel-ramp)" }),
      s("text", { x: keyX - 6, y: HEIGHT - 10, "text-anchor": "end" }, "worse"),
      s("text", { x: keyX + 206, y: HEIGHT - 10, "text-anchor": "start" }, "better")));

  figure.append(
    h("figcaption", {}, h("strong", {}, "Parameters against the objective"), ` — ${summary} The trials table holds the same values.`),
    h("div", { class: "chart-scroll" }, svg));
  return figure;
}

function parameterAxis(parameter: ExperimentParameter, trials: Trial[]): Axis {
  const assigned = trials.flatMap((t) => t.parameterAssignments.filter((a) => a.name === parameter.name).map((a) => a.value));
  if (parameter.type === "categorical" || parameter.type === "discrete" || (parameter.list && parameter.list.length > 0)) {
    // Evenly spaced, in the list's order; a value outside the list (not expected) goes after it.
    const list = [...(parameter.list ?? [])];
    for (const value of assigned) if (!list.includes(value)) list.push(value);
    const at = (i: number) => (list.length === 1 ? 0.5 : i / (list.length - 1));
    return {
      name: parameter.name,
      label: parameter.name,
      scale: parameter.type,
      position: (value) => { const i = list.indexOf(String(value)); return i < 0 ? null : at(i); },
      ticks: list.map((value, i) => ({ at: at(i), text: value })),
    };
  }
  const numbers = assigned.map(Number).filter(Number.isFinite);
  let min = Number(parameter.min ?? NaN);
  let max = Number(parameter.max ?? NaN);
  if (!Number.isFinite(min)) min = Math.min(...numbers);
  if (!Number.isFinite(max)) max = Math.max(...numbers);
  const log = (parameter.distribution === "logUniform" || parameter.distribution === "logNormal") && min > 0;
  return numericAxis(parameter.name, parameter.name, `${parameter.type}${log ? ", log" : ""}`, Math.min(min, ...numbers), Math.max(max, ...numbers), log, false, parameter.type === "int");
}

function numericAxis(name: string, label: string, scale: string, min: number, max: number, log: boolean, pad: boolean, integers = false): Axis {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    return { name, label, scale, position: () => null, ticks: [] };
  }
  const [low, high] = pad || min === max ? padded(min, max) : [min, max];
  const transform = log ? Math.log10 : (v: number) => v;
  const [a, b] = [transform(low), transform(high)];
  const position = (value: string | number) => {
    const v = Number(value);
    if (!Number.isFinite(v) || (log && v <= 0)) return null;
    return (transform(v) - a) / (b - a);
  };
  const tickValues = log ? logTicks(low, high) : niceTicks(low, high, 5, integers);
  // The range's ends are labelled too, unless a round tick sits (almost) on them.
  const ends = pad ? [] : [low, high].filter((end) => tickValues.every((t) => Math.abs((position(t) ?? 0) - (position(end) ?? 0)) > 0.06));
  return {
    name,
    label,
    scale,
    position,
    ticks: [...tickValues, ...ends].map((v) => ({ at: position(v) ?? 0, text: formatNumber(v) })),
  };
}

/** The ramp's colour at t in [0, 1]. */
function colour(t: number): string {
  const clamped = Math.max(0, Math.min(1, t));
  const scaled = clamped * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(scaled));
  const f = scaled - i;
  const [from, to] = [RAMP[i], RAMP[i + 1]].map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));
  return "#" + from.map((v, k) => Math.round(v + (to[k] - v) * f).toString(16).padStart(2, "0")).join("");
}
