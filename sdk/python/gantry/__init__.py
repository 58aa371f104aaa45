"""Gantry's Python SDK: submit Spark, PyTorch, JAX and command jobs to a Gantry gateway, follow
them, read their logs, and push training metrics from inside a job. Standard library only.

    import gantry
    client = gantry.Client()                       # GANTRY_URL / GANTRY_TOKEN or ~/.gantry/config
    job = client.submit_command("echo hello", name="hello")
    job.wait()
    print(job.logs())

Inside a job: ``gantry.report_metrics({"loss": 0.3}, step=10)``.

Tuning: ``client.tune(objective, parameters={"lr": gantry.search.double(1e-4, 1e-1, log=True)},
objective_metric="loss", max_trials=30)`` returns an ``Experiment`` (``exp.wait()``, ``exp.best``).
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import search
from .client import Client
from .config import Settings, load_settings
from .errors import (
    ApiError,
    ConfigError,
    Conflict,
    Forbidden,
    GantryConnectionError,
    GantryError,
    NotFound,
    NotInJobError,
    ServerUnavailable,
    Unauthorized,
    ValidationError,
    WaitTimeout,
)
from .experiments import Experiment, OptimalTrial, Trial
from .jobs import Job
from .token_file import TokenFile
from .metrics import MetricPoint, MetricsWarning, flush_metrics, report_metrics
from .trainer import Runtime
from .models import TERMINAL_STATES, Cluster, Demand, Explanation, JobEvent, JobInfo, JobResource, Queue, SparkUiLink, User

__all__ = [
    "__version__",
    "Client",
    "Job",
    "Experiment",
    "Trial",
    "OptimalTrial",
    "search",
    "Runtime",
    "JobInfo",
    "JobResource",
    "JobEvent",
    "Explanation",
    "Demand",
    "Queue",
    "Cluster",
    "User",
    "SparkUiLink",
    "MetricPoint",
    "MetricsWarning",
    "TERMINAL_STATES",
    "Settings",
    "load_settings",
    "TokenFile",
    "report_metrics",
    "flush_metrics",
    "GantryError",
    "ConfigError",
    "GantryConnectionError",
    "WaitTimeout",
    "NotInJobError",
    "ApiError",
    "ValidationError",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "Conflict",
    "ServerUnavailable",
]
