"""``Experiment``: a handle on one tuning experiment (a Katib Experiment run by the gateway), with
its ``Trial`` s and its best trial so far (``OptimalTrial``). Values are as the API answers them
(docs/experiments.md, "The API"); parameter values come back typed by the experiment's search
space (float for double, int for int, a number for discrete, a string for categorical)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence
from urllib.parse import quote

from ._experiment_display import experiment_html, progress_for, summary
from ._http import Transport
from ._json import parse_time, require_mapping
from .errors import WaitTimeout

if TYPE_CHECKING:
    from .jobs import Job

__all__ = ["Experiment", "Trial", "OptimalTrial", "EXPERIMENT_TERMINAL_STATES", "TRIAL_TERMINAL_STATES"]

#: Katib's finished experiment states (a cancelled experiment is Failed, reason ExperimentCancelled).
EXPERIMENT_TERMINAL_STATES = frozenset({"Succeeded", "Failed"})
#: Katib's completed trial states.
TRIAL_TERMINAL_STATES = frozenset({"Succeeded", "Failed", "Killed", "EarlyStopped", "MetricsUnavailable"})


def _number(text: Any) -> Optional[float]:
    """A metric value as a float; None for Katib's "unavailable" and anything else not a number."""
    if text is None or isinstance(text, bool):
        return None
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _typed(parameters: Sequence[Mapping[str, Any]], name: str, text: str) -> Any:
    """``text`` (as the gateway assigns it) typed by the parameter's search space."""
    spec = next((p for p in parameters if p.get("name") == name), None)
    kind = spec.get("type") or spec.get("parameterType") if spec else None
    try:
        if kind == "int":
            return int(float(text))
        if kind == "double":
            return float(text)
        if kind == "discrete":
            number = float(text)
            return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    except ValueError:
        pass
    return text


@dataclass(frozen=True)
class OptimalTrial:
    """The best trial so far (``currentOptimalTrial``): its name, its parameters, its objective
    under the metric's strategy, and every metric's ``{"min", "max", "latest"}`` (strings)."""

    name: str
    parameters: Mapping[str, Any]
    objective: Optional[float]
    metrics: Mapping[str, Mapping[str, str]]

    def __getitem__(self, key: str) -> Any:
        # Also readable as a dict: best["parameters"], best["objective"].
        return {"name": self.name, "parameters": self.parameters, "objective": self.objective, "metrics": self.metrics}[key]


@dataclass(frozen=True)
class Trial:
    """One trial: its job, state, parameter values, objective and metrics."""

    name: str
    index: int
    job_id: Optional[str]
    state: str
    parameters: Mapping[str, Any]
    objective: Optional[float]
    metrics: Mapping[str, Mapping[str, str]]
    created_at: Optional[datetime]
    finished_at: Optional[datetime]
    message: str
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _transport: Optional[Transport] = field(default=None, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, parameters: Sequence[Mapping[str, Any]], transport: Optional[Transport] = None) -> "Trial":
        d = require_mapping(data, "trial")
        assignments = d.get("parameterAssignments") or ()
        return cls(
            name=str(d.get("name") or ""),
            index=int(d.get("index") or 0),
            job_id=d.get("jobId"),
            state=str(d.get("state") or ""),
            parameters={str(a.get("name")): _typed(parameters, str(a.get("name")), str(a.get("value"))) for a in assignments},
            objective=_number(d.get("objective")),
            metrics={str(m.get("name")): {k: m.get(k) for k in ("min", "max", "latest")} for m in d.get("metrics") or ()},
            created_at=parse_time(d.get("createdAt")),
            finished_at=parse_time(d.get("finishedAt")),
            message=str(d.get("message") or ""),
            raw=dict(d),
            _transport=transport,
        )

    @property
    def done(self) -> bool:
        return self.state in TRIAL_TERMINAL_STATES

    def job(self) -> "Job":
        """The trial's job (logs, metrics, events): an ordinary Gantry job."""
        from .jobs import Job
        from .models import JobInfo

        if self.job_id is None or self._transport is None:
            raise ValueError(f"trial {self.name} has no job yet")
        response = self._transport.request("GET", f"/api/v1/jobs/{quote(self.job_id, safe='')}")
        return Job(self._transport, JobInfo.from_json(response.json()))


class Experiment:
    """One experiment. Attributes read the last snapshot (``info``, the API's JSON); ``refresh()``
    and ``wait()`` take a new one."""

    def __init__(self, transport: Transport, info: Mapping[str, Any]) -> None:
        self._transport = transport
        self._info: Dict[str, Any] = dict(require_mapping(info, "experiment"))

    # ------------------------------------------------------------------ the snapshot

    @property
    def info(self) -> Mapping[str, Any]:
        return self._info

    @property
    def id(self) -> str:
        return str(self._info.get("id") or "")

    @property
    def name(self) -> str:
        return str(self._info.get("name") or "")

    @property
    def state(self) -> str:
        return str(self._info.get("state") or "")

    @property
    def reason(self) -> str:
        return str(self._info.get("reason") or "")

    @property
    def message(self) -> str:
        return str(self._info.get("message") or "")

    @property
    def objective(self) -> Mapping[str, Any]:
        """``{"type", "metricName", "goal", "additionalMetricNames"}``."""
        return self._info.get("objective") or {}

    @property
    def objective_metric(self) -> str:
        return str(self.objective.get("metricName") or "")

    @property
    def algorithm(self) -> str:
        return str(self._info.get("algorithm") or "")

    @property
    def parameters(self) -> List[Mapping[str, Any]]:
        """The search space: ``[{"name", "type", "min", "max", "step", "list", "distribution"}]``."""
        return list(self._info.get("parameters") or ())

    @property
    def trial_counts(self) -> Mapping[str, int]:
        """``{"total", "created", "running", "succeeded", "failed", "killed", "earlyStopped", "metricsUnavailable"}``."""
        return {k: int(v or 0) for k, v in (self._info.get("trials") or {}).items()}

    @property
    def max_trials(self) -> Optional[int]:
        value = self._info.get("maxTrialCount")
        return None if value is None else int(value)

    @property
    def created_at(self) -> Optional[datetime]:
        return parse_time(self._info.get("createdAt"))

    @property
    def finished_at(self) -> Optional[datetime]:
        return parse_time(self._info.get("finishedAt"))

    @property
    def manifest(self) -> Optional[Mapping[str, Any]]:
        """The Experiment as stored (read by ``refresh()`` and ``client.get_experiment``)."""
        return self._info.get("manifest")

    @property
    def done(self) -> bool:
        return self.state in EXPERIMENT_TERMINAL_STATES

    @property
    def succeeded(self) -> bool:
        return self.state == "Succeeded"

    @property
    def best(self) -> Optional[OptimalTrial]:
        """The best trial so far (``currentOptimalTrial``), None until a trial has an objective value."""
        optimal = self._info.get("currentOptimalTrial")
        if not optimal:
            return None
        metrics = {str(m.get("name")): {k: m.get(k) for k in ("min", "max", "latest")}
                   for m in (optimal.get("observation") or {}).get("metrics") or ()}
        parameters = {str(a.get("name")): _typed(self.parameters, str(a.get("name")), str(a.get("value")))
                      for a in optimal.get("parameterAssignments") or ()}
        return OptimalTrial(
            name=str(optimal.get("bestTrialName") or ""),
            parameters=parameters,
            objective=self._objective_of(metrics.get(self.objective_metric)),
            metrics=metrics,
        )

    def _objective_of(self, summary: Optional[Mapping[str, Any]]) -> Optional[float]:
        """The objective metric's value under its strategy (the manifest's metricStrategies, else
        min when minimizing and max when maximizing), falling back to latest as the gateway does."""
        if not summary:
            return None
        strategy = "min" if self.objective.get("type") == "minimize" else "max"
        spec = ((self.manifest or {}).get("spec") or {}).get("objective") or {}
        for entry in spec.get("metricStrategies") or ():
            if entry.get("name") == self.objective_metric and entry.get("value") in ("min", "max", "latest"):
                strategy = entry["value"]
        value = _number(summary.get(strategy))
        return value if value is not None else _number(summary.get("latest"))

    # ------------------------------------------------------------------ calls

    def refresh(self) -> "Experiment":
        """Reads the experiment again (with its manifest); returns itself."""
        self._info = dict(self._transport.request("GET", self._path()).json() or {})
        return self

    def trials(self) -> List[Trial]:
        """Every trial so far, in the order they were created."""
        listed = self._transport.request("GET", self._path("/trials")).json() or {}
        return [Trial.from_json(t, self.parameters, self._transport) for t in listed.get("items", [])]

    def to_rows(self, trials: Optional[Sequence[Trial]] = None) -> List[Dict[str, Any]]:
        """The trials as plain dicts, one per trial (``pandas.DataFrame(exp.to_rows())`` makes a
        table): ``trial``, ``state``, each parameter by name, ``objective``, ``job_id``."""
        names = [str(p.get("name")) for p in self.parameters]
        rows = []
        for trial in self.trials() if trials is None else trials:
            row: Dict[str, Any] = {"trial": trial.name, "state": trial.state}
            row.update({n: trial.parameters.get(n) for n in names})
            row["objective"] = trial.objective
            row["job_id"] = trial.job_id
            rows.append(row)
        return rows

    def wait(
        self,
        *,
        progress: bool = False,
        timeout: Optional[float] = None,
        poll_interval: float = 2.0,
        output: Optional[IO[str]] = None,
    ) -> "Experiment":
        """Polls until the experiment is Succeeded or Failed and returns itself. With ``progress``
        it shows a live table of the trials in Jupyter (IPython.display), else prints a line per
        change to ``output`` (default: stderr). Raises WaitTimeout after ``timeout`` seconds; the
        experiment carries on."""
        display = progress_for(progress, output)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while True:
                self.refresh()
                if progress:
                    display.update(self, self.trials())
                if self.done:
                    return self
                if deadline is not None and time.monotonic() >= deadline:
                    raise WaitTimeout(
                        f"experiment {self.id} is still {self.state} after {timeout:g}s; it keeps running "
                        "(call wait() again, or cancel())."
                    )
                pause = poll_interval if deadline is None else max(min(poll_interval, deadline - time.monotonic()), 0.0)
                time.sleep(pause)
        finally:
            display.close()

    def cancel(self) -> "Experiment":
        """Ends the experiment (Failed, reason ExperimentCancelled) and cancels its running trials'
        jobs. Raises Conflict for a finished one."""
        self._info = dict(self._transport.request("POST", self._path("/cancel"), idempotent=True).json() or {})
        return self

    def resume(self, max_trials: int) -> "Experiment":
        """Raises ``maxTrialCount`` to ``max_trials``: resumes a finished experiment (Katib's rule:
        it ended with ExperimentMaxTrialsReached and its resumePolicy is not Never) or gives a
        running one more trials. Raises Conflict or ValidationError otherwise."""
        if isinstance(max_trials, bool) or not isinstance(max_trials, int) or max_trials < 1:
            raise ValueError(f"max_trials must be a whole number >= 1, not {max_trials!r}")
        answer = self._transport.request("PATCH", self._path(), json_body={"maxTrialCount": max_trials}, idempotent=True)
        self._info = {**self._info, **(answer.json() or {})}
        return self

    # ------------------------------------------------------------------ display

    def _repr_html_(self) -> str:
        return experiment_html(self, None)

    def __repr__(self) -> str:
        return f"<Experiment {self.id} {self.name!r} {self.state}>"

    def __str__(self) -> str:
        return summary(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Experiment) and other.id == self.id and other._transport.base_url == self._transport.base_url

    def __hash__(self) -> int:
        return hash(self.id)

    def _path(self, suffix: str = "") -> str:
        return f"/api/v1/experiments/{quote(self.id, safe='')}{suffix}"

