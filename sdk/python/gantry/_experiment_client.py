"""The ``Client`` calls for tuning experiments (``POST/GET /api/v1/experiments``), kept apart from
the jobs' calls; ``Client`` inherits them."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence
from urllib.parse import quote

from . import manifests, tuning
from ._http import Transport
from .experiments import Experiment

logger = logging.getLogger(__name__)

__all__ = ["ExperimentCalls"]


class ExperimentCalls:
    """Submit, find and list experiments; ``tune`` builds one from a function or a job template."""

    _transport: Transport

    def submit_experiment(
        self,
        manifest: manifests.ManifestSource,
        *,
        queue: Optional[str] = None,
        priority: Optional[int] = None,
        labels: Optional[Mapping[str, str]] = None,
        idempotency_key: Optional[str] = None,
    ) -> Experiment:
        """Submits a Katib Experiment (``kubeflow.org/v1beta1``: a dict, JSON or YAML text, or a file
        path). Its trials go to ``queue`` (default ``default``) with ``priority`` and ``labels``.
        Raises ValidationError naming the field for what Katib's rules refuse, or for an algorithm
        Gantry does not run. Retrying after a lost answer returns the first experiment (the
        submission carries an Idempotency-Key)."""
        loaded = manifests.load_manifest(manifest)
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        if isinstance(loaded, manifests.RawYaml):
            given = [k for k, v in (("queue", queue), ("priority", priority), ("labels", labels)) if v is not None]
            if given:
                raise ValueError(
                    f"PyYAML is not installed, so a YAML experiment is sent as is and {', '.join(given)} cannot be "
                    "added; pass a dict (or JSON), or install PyYAML."
                )
            response = self._transport.request("POST", "/api/v1/experiments", body=loaded.text.encode("utf-8"),
                                               content_type="application/yaml", headers=headers, idempotent=True)
            return Experiment(self._transport, response.json())
        envelope: Dict[str, Any] = {"manifest": loaded}
        if queue is not None:
            envelope["queue"] = queue
        if priority is not None:
            envelope["priority"] = priority
        if labels:
            envelope["labels"] = {str(k): str(v) for k, v in labels.items()}
        response = self._transport.request("POST", "/api/v1/experiments", json_body=envelope, headers=headers, idempotent=True)
        return Experiment(self._transport, response.json())

    def get_experiment(self, experiment_id: str) -> Experiment:
        """One experiment by id, with its manifest (raises NotFound)."""
        response = self._transport.request("GET", f"/api/v1/experiments/{quote(experiment_id, safe='')}")
        return Experiment(self._transport, response.json())

    def experiments(self, *, state: Optional[str] = None, owner: Optional[str] = None, limit: Optional[int] = None) -> List[Experiment]:
        """Your experiments (an admin's: everyone's, or ``owner``'s), newest first; ``state`` is one
        of Katib's (Created, Running, Restarting, Succeeded, Failed); ``limit`` stops after that many."""
        if limit is not None and limit < 0:
            raise ValueError("limit must be >= 0")
        found: List[Experiment] = []
        cursor: Optional[str] = None
        page_size = None if limit is None else max(min(limit, 500), 1)
        while limit is None or len(found) < limit:
            query = {"state": state, "owner": owner, "limit": page_size, "cursor": cursor}
            page = self._transport.request("GET", "/api/v1/experiments", query=query).json() or {}
            found.extend(Experiment(self._transport, item) for item in page.get("items", []))
            cursor = page.get("nextCursor")
            if not cursor:
                break
        return found if limit is None else found[:limit]

    def tune(
        self,
        objective: Optional[Callable[..., Any]] = None,
        *,
        trial_template: Optional[Mapping[str, Any]] = None,
        parameters: Mapping[str, Any],
        objective_metric: str = "loss",
        goal: str = "minimize",
        goal_value: Optional[float] = None,
        algorithm: str = "tpe",
        algorithm_settings: Optional[Mapping[str, Any]] = None,
        max_trials: int = 10,
        parallel_trials: int = 1,
        max_failed_trials: Optional[int] = None,
        early_stopping: tuning.EarlyStopping = None,
        additional_metrics: Sequence[str] = (),
        metrics_collector: Optional[str] = None,
        queue: Optional[str] = None,
        priority: Optional[int] = None,
        labels: Optional[Mapping[str, str]] = None,
        name: Optional[str] = None,
        image: Optional[str] = None,
        resources: Optional[Mapping[str, Any]] = None,
        env_per_trial: Optional[Mapping[str, Any]] = None,
        packages_to_install: Sequence[str] = (),
        primary_container_name: Optional[str] = None,
        resume_policy: Optional[str] = None,
    ) -> Experiment:
        """Tunes ``parameters`` (``gantry.search.*`` spaces; other values are passed as constants),
        like Katib's ``KatibClient.tune``, and returns the submitted Experiment (``exp.wait()``).

        ``objective(parameters)`` is a self-contained function (imports inside) that receives a dict
        of typed values and reports ``objective_metric`` with ``gantry.report_metrics`` (or returns
        its value, or a dict of metrics). Its source runs as a Command job per trial (a batch/v1
        Job with ``image``), ``resources`` being ``{"cpu", "memory", "gpu"}``; the trial's Python
        must be able to import ``gantry`` (install the SDK there, or set ``PYTHONPATH`` in
        ``env_per_trial``). Or ``trial_template``: a job manifest of any kind with
        ``${trialParameters.<name>}`` placeholders (its metrics read from stdout ``name=value``
        lines unless ``metrics_collector="Push"``).

        ``early_stopping``: None, ``"medianstop"``, or ``{"algorithm": "medianstop",
        "min_trials_required": 3, "start_step": 4}``. ``algorithm``: random, grid, tpe,
        multivariate-tpe or sobol, with Katib's ``algorithm_settings``. ``resume_policy="LongRunning"``
        lets ``exp.resume(max_trials)`` add trials once it has finished (Katib's default, Never, does not).
        """
        manifest = tuning.experiment(
            objective=objective, trial_template=trial_template, parameters=parameters, objective_metric=objective_metric,
            goal=goal, goal_value=goal_value, algorithm=algorithm, algorithm_settings=algorithm_settings,
            max_trials=max_trials, parallel_trials=parallel_trials, max_failed_trials=max_failed_trials,
            early_stopping=early_stopping, additional_metrics=additional_metrics, metrics_collector=metrics_collector,
            name=name, image=image, resources=resources, env_per_trial=env_per_trial,
            packages_to_install=packages_to_install, primary_container_name=primary_container_name,
            resume_policy=resume_policy,
        )
        return self.submit_experiment(manifest, queue=queue, priority=priority, labels=labels)
