"""How an experiment shows itself: a one-line summary, an HTML card with the best trial and the
trials table for notebooks, and the live progress of ``Experiment.wait(progress=True)`` (a table
updated in place in Jupyter, a line per change anywhere else)."""

from __future__ import annotations

import html
import sys
import time
from typing import IO, TYPE_CHECKING, Any, Optional, Sequence

from ._display import in_jupyter

if TYPE_CHECKING:
    from .experiments import Experiment, Trial

_STATE_COLOURS = {
    "Created": "#6b7280",
    "Running": "#0891b2",
    "Restarting": "#d97706",
    "Succeeded": "#16a34a",
    "Failed": "#dc2626",
    "Killed": "#9ca3af",
    "EarlyStopped": "#d97706",
    "MetricsUnavailable": "#dc2626",
}
_DONE = ("succeeded", "failed", "killed", "earlyStopped", "metricsUnavailable")


def summary(experiment: "Experiment") -> str:
    """One line: state, trials done of the budget, running, and the best objective so far."""
    counts = experiment.trial_counts
    done = sum(counts.get(k, 0) for k in _DONE)
    best = experiment.best
    best_text = "" if best is None or best.objective is None else f", best {experiment.objective_metric}={best.objective:g}"
    budget = experiment.max_trials or "?"
    message = f" - {experiment.message}" if experiment.done and experiment.message else ""
    return (f"experiment {experiment.id} ({experiment.name}) {experiment.state}: {done}/{budget} trials done, "
            f"{counts.get('running', 0)} running{best_text}{message}")


def _value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _badge(state: str) -> str:
    colour = _STATE_COLOURS.get(state, "#6b7280")
    return f'<span style="background:{colour};color:white;border-radius:4px;padding:1px 6px">{html.escape(state)}</span>'


def experiment_html(experiment: "Experiment", trials: Optional[Sequence["Trial"]]) -> str:
    """The card: summary, objective, best trial, and the trials table when ``trials`` is given."""
    e = html.escape
    objective = experiment.objective
    best = experiment.best
    rows = [
        ("id", f"<code>{e(experiment.id)}</code>"),
        ("objective", e(f"{objective.get('type', '?')} {objective.get('metricName', '?')}"
                        + (f" (goal {objective['goal']})" if objective.get("goal") is not None else ""))),
        ("algorithm", e(experiment.algorithm)),
        ("trials", e(", ".join(f"{k} {v}" for k, v in experiment.trial_counts.items() if v))),
        ("message", e(experiment.message or "-")),
    ]
    if best is not None:
        rows.append(("best", e(f"{best.name}: {experiment.objective_metric}={_value(best.objective)} with "
                               + ", ".join(f"{k}={_value(v)}" for k, v in best.parameters.items()))))
    body = "".join(
        f'<tr><th style="text-align:left;padding:1px 8px 1px 0;color:#6b7280;font-weight:normal">{k}</th>'
        f'<td style="text-align:left;padding:1px 0">{v}</td></tr>'
        for k, v in rows
    )
    table = ""
    if trials:
        names = [str(p.get("name")) for p in experiment.parameters]
        head = "".join(f'<th style="text-align:left;padding:1px 8px">{e(h)}</th>'
                       for h in ["trial", "state", *names, experiment.objective_metric or "objective"])
        lines = []
        for trial in trials:
            marker = ' style="font-weight:bold"' if best is not None and trial.name == best.name else ""
            cells = [e(trial.name), _badge(trial.state), *(e(_value(trial.parameters.get(n))) for n in names), e(_value(trial.objective))]
            lines.append(f"<tr{marker}>" + "".join(f'<td style="padding:1px 8px">{c}</td>' for c in cells) + "</tr>")
        table = f'<table style="margin-top:6px"><tr>{head}</tr>{"".join(lines)}</table>'
    return (
        f'<div class="gantry-experiment" data-experiment-id="{e(experiment.id)}" data-state="{e(experiment.state)}" '
        'style="border:1px solid #d1d5db;border-radius:6px;padding:8px 12px;display:inline-block;'
        'font-family:system-ui,sans-serif;font-size:13px">'
        f'<div style="margin-bottom:4px"><b>{e(experiment.name)}</b> {_badge(experiment.state)}</div>'
        f"<table>{body}</table>{table}</div>"
    )


class Progress:
    """Shows nothing; the base of the live displays."""

    def update(self, experiment: "Experiment", trials: Sequence["Trial"]) -> None:
        pass

    def close(self) -> None:
        pass


class LineProgress(Progress):
    """One line whenever the state, the counts or the best value change: readable in logs."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._last: Optional[str] = None

    def update(self, experiment: "Experiment", trials: Sequence["Trial"]) -> None:
        line = summary(experiment)
        if line != self._last:
            self._last = line
            self._stream.write(line + "\n")
            self._stream.flush()


class JupyterProgress(Progress):
    """The card with the trials table, redrawn in place at most once a second (and at the end)."""

    def __init__(self) -> None:
        from IPython.display import HTML, display  # type: ignore[import-not-found]

        self._html = HTML
        self._handle = display(HTML(""), display_id=True)
        self._last_draw = 0.0
        self._pending: Optional[str] = None

    def update(self, experiment: "Experiment", trials: Sequence["Trial"]) -> None:
        self._pending = experiment_html(experiment, trials)
        if time.monotonic() - self._last_draw >= 1.0 or experiment.done:
            self._draw()

    def close(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._pending is not None and self._handle is not None:
            self._handle.update(self._html(self._pending))
            self._last_draw = time.monotonic()
            self._pending = None


def progress_for(enabled: bool, output: Optional[IO[str]]) -> Progress:
    if not enabled:
        return Progress()
    if output is None and in_jupyter():
        try:
            return JupyterProgress()
        except ImportError:
            pass
    return LineProgress(output if output is not None else sys.stderr)
