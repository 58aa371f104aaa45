"""Push-based training metrics.

Inside a Gantry job the environment holds GANTRY_URL, GANTRY_JOB_ID and GANTRY_JOB_TOKEN.
``report_metrics({"loss": 0.3}, step=10)`` stamps the points, buffers them, and returns at
once; a daemon thread posts them in batches to ``POST /api/v1/jobs/{id}/metrics`` and the
rest are flushed when the interpreter exits. A training script is never stopped by its
metrics: when the gateway is away the reporter warns once, keeps retrying, and beyond
``max_buffer`` points drops the oldest.
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import re
import threading
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Deque, Dict, List, Mapping, Optional, Union

from ._http import RetryPolicy, Transport
from ._json import format_time, parse_time, require_mapping, unknown_fields
from .errors import ApiError, NotInJobError

logger = logging.getLogger(__name__)

__all__ = ["MetricPoint", "MetricsReporter", "MetricsWarning", "report_metrics", "flush_metrics"]


class MetricsWarning(UserWarning):
    """Metrics could not be delivered (the gateway is away, or refused them); training goes on."""


@dataclass(frozen=True)
class MetricPoint:
    """One observation: ``step`` is None when none was given; ``timestamp`` is when it was reported."""

    name: str
    value: float
    step: Optional[int]
    timestamp: Optional[datetime]
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> "MetricPoint":
        d = require_mapping(data, "metric point")
        step = d.get("step")
        return cls(
            name=str(d.get("name") or ""),
            value=float(d["value"]),
            step=None if step is None else int(step),
            timestamp=parse_time(d.get("timestamp")),
            extra=unknown_fields(d, ("name", "value", "step", "timestamp")),
        )


Timestamp = Union[datetime, float, int, None]

# The gateway's rule (MetricRules): a bad name would make it refuse the whole batch.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_./:-]*$")
_MAX_NAME_LENGTH = 200


class MetricsReporter:
    """Buffers points and posts them in batches from a daemon thread. Thread-safe."""

    def __init__(
        self,
        *,
        url: str,
        job_id: str,
        token: str,
        batch_size: int = 500,
        flush_interval: float = 1.0,
        max_buffer: int = 10_000,
        request_timeout: float = 10.0,
        max_backoff: float = 30.0,
    ) -> None:
        if batch_size < 1 or max_buffer < batch_size:
            raise ValueError("need 1 <= batch_size <= max_buffer")
        # The reporter does its own retrying (the buffer is the retry), so each post is one attempt.
        self._transport = Transport(url, token, timeout=request_timeout, retry=RetryPolicy(retries=0))
        self._path = f"/api/v1/jobs/{job_id}/metrics"
        self.job_id = job_id
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._max_buffer = max_buffer
        self._max_backoff = max_backoff
        self._buffer: Deque[Dict[str, Any]] = deque()
        self._lock = threading.Condition()
        self._in_flight = 0
        self._flush_requested = False
        self._closed = False
        self._failures = 0
        self._warned: set = set()
        self.sent = 0
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name="gantry-metrics", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ the caller's side

    def report(self, values: Mapping[str, Any], *, step: Optional[int] = None, timestamp: Timestamp = None) -> None:
        if not isinstance(values, Mapping):
            raise TypeError("report_metrics takes a mapping of metric names to numbers, e.g. {'loss': 0.3}")
        if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 0):
            raise ValueError(f"step must be a whole number >= 0, not {step!r}")
        stamp = _stamp(timestamp)
        points = []
        for name, value in values.items():
            if not isinstance(name, str) or not _NAME.fullmatch(name) or len(name) > _MAX_NAME_LENGTH:
                raise ValueError(
                    f"metric name {name!r} is not valid: 1-{_MAX_NAME_LENGTH} letters, digits, '_', '.', '/', ':' "
                    "or '-', starting with a letter or '_' (e.g. 'loss', 'val/accuracy')"
                )
            if not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
                raise TypeError(f"metric {name!r} must be a number, not {type(value).__name__}")
            number = float(value)
            if not math.isfinite(number):
                self._warn_once("nonfinite", f"metric {name!r} was {number}; JSON cannot carry it, so it is not sent")
                continue
            point: Dict[str, Any] = {"name": name, "value": number, "timestamp": stamp}
            if step is not None:
                point["step"] = step
            points.append(point)
        with self._lock:
            if self._closed:
                self._warn_once("closed", "metrics reported after the reporter was closed are not sent")
                return
            self._buffer.extend(points)
            overflow = len(self._buffer) - self._max_buffer
            if overflow > 0:
                for _ in range(overflow):
                    self._buffer.popleft()
                self.dropped += overflow
                self._warn_once(
                    "dropped",
                    f"more than {self._max_buffer} metric points are waiting for the gateway; dropping the oldest",
                )
            if len(self._buffer) >= self._batch_size:
                self._lock.notify_all()

    def flush(self, timeout: Optional[float] = 10.0) -> bool:
        """Waits until every point reported so far was sent (or dropped); False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            self._flush_requested = True
            self._lock.notify_all()
            while self._buffer or self._in_flight:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                if not self._thread.is_alive():
                    return False
                self._lock.wait(remaining if remaining is not None else 1.0)
            return True

    def close(self, timeout: float = 5.0) -> bool:
        """Flushes what it can within ``timeout``, then stops; points still waiting are dropped."""
        flushed = self.flush(timeout)
        with self._lock:
            self._closed = True
            lost = len(self._buffer)
            self._buffer.clear()
            self.dropped += lost
            self._lock.notify_all()
        if lost:
            self._warn_once("lost", f"{lost} metric points could not be sent before exit and were dropped")
        self._thread.join(timeout=1.0)
        return flushed

    # ------------------------------------------------------------------ the thread's side

    def _run(self) -> None:
        while True:
            with self._lock:
                backoff = self._backoff()
                deadline = time.monotonic() + max(self._flush_interval, backoff)
                while not self._closed and not self._ready(deadline, backoff):
                    self._lock.wait(max(deadline - time.monotonic(), 0.01))
                if self._closed:
                    return
                batch = [self._buffer.popleft() for _ in range(min(self._batch_size, len(self._buffer)))]
                self._in_flight = len(batch)
                if not self._buffer:
                    self._flush_requested = False
            outcome = self._post(batch) if batch else "sent"
            with self._lock:
                self._in_flight = 0
                if outcome == "sent":
                    self.sent += len(batch)
                elif outcome == "refused":
                    self.dropped += len(batch)
                elif self._closed:
                    self.dropped += len(batch)
                else:
                    # Put the batch back in front, unless newer points filled the buffer meanwhile.
                    room = self._max_buffer - len(self._buffer)
                    keep = batch[len(batch) - room:] if room < len(batch) else batch
                    self.dropped += len(batch) - len(keep)
                    self._buffer.extendleft(reversed(keep))
                self._lock.notify_all()

    def _ready(self, deadline: float, backoff: float) -> bool:
        if not self._buffer:
            return False
        if backoff > 0:
            return time.monotonic() >= deadline
        return self._flush_requested or len(self._buffer) >= self._batch_size or time.monotonic() >= deadline

    def _backoff(self) -> float:
        return 0.0 if self._failures == 0 else min(0.5 * 2 ** (self._failures - 1), self._max_backoff)

    def _post(self, batch: List[Dict[str, Any]]) -> str:
        """"sent"; "refused" for good (a 4xx: retrying cannot help, so the batch is dropped); or "failed"."""
        try:
            self._transport.request("POST", self._path, json_body={"metrics": batch})
        except ApiError as exc:
            if exc.status in (408, 429) or exc.status >= 500:
                return self._failed(exc)
            self._failures = 0
            self._warn_once(f"refused-{exc.status}", f"the gateway refused {len(batch)} metric points: {exc}")
            return "refused"
        except Exception as exc:  # noqa: BLE001 - connection errors, and anything else: never let the thread die
            return self._failed(exc)
        self._failures = 0
        return "sent"

    def _failed(self, exc: BaseException) -> str:
        self._failures += 1
        self._warn_once("unreachable", f"cannot deliver metrics to the gateway ({exc}); will keep retrying")
        return "failed"

    def _warn_once(self, key: str, message: str) -> None:
        if key in self._warned:
            logger.debug("%s", message)
            return
        self._warned.add(key)
        # Once, where the user will see it: their logging if they set it up, else a warning on stderr.
        if logger.hasHandlers():
            logger.warning("%s", message)
        else:
            warnings.warn(message, MetricsWarning, stacklevel=2)


def _stamp(timestamp: Timestamp) -> str:
    if timestamp is None:
        return format_time(datetime.now(timezone.utc))
    if isinstance(timestamp, datetime):
        return format_time(timestamp)
    if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool):
        return format_time(datetime.fromtimestamp(float(timestamp), tz=timezone.utc))
    raise TypeError("timestamp must be a datetime or Unix seconds")


# ---------------------------------------------------------------------- the module-level reporter

_reporter: Optional[MetricsReporter] = None
_reporter_lock = threading.Lock()
_EXIT_TIMEOUT_ENV = "GANTRY_METRICS_EXIT_TIMEOUT"


def _default_reporter() -> MetricsReporter:
    global _reporter
    with _reporter_lock:
        if _reporter is None:
            env = os.environ
            missing = [k for k in ("GANTRY_URL", "GANTRY_JOB_ID", "GANTRY_JOB_TOKEN") if not env.get(k)]
            if missing:
                raise NotInJobError(
                    "report_metrics() only works inside a Gantry job: the gateway sets GANTRY_URL, GANTRY_JOB_ID "
                    f"and GANTRY_JOB_TOKEN there, and {', '.join(missing)} is not set. From a notebook, read a "
                    "job's metrics with job.metrics(); to push as the job's owner use client.push_metrics(job_id, ...)."
                )
            _reporter = MetricsReporter(url=env["GANTRY_URL"], job_id=env["GANTRY_JOB_ID"], token=env["GANTRY_JOB_TOKEN"])
            atexit.register(_flush_at_exit)
        return _reporter


def _flush_at_exit() -> None:
    reporter = _reporter
    if reporter is None:
        return
    try:
        timeout = float(os.environ.get(_EXIT_TIMEOUT_ENV, "10"))
    except ValueError:
        timeout = 10.0
    try:
        reporter.close(timeout)
    except Exception:  # noqa: BLE001 - exiting must not fail because of metrics
        logger.debug("flushing metrics at exit failed", exc_info=True)


def report_metrics(values: Mapping[str, Any], *, step: Optional[int] = None, timestamp: Timestamp = None) -> None:
    """Records metric values for this job, e.g. ``report_metrics({"loss": 0.3, "accuracy": 0.9}, step=10)``.

    Returns at once; points are sent in the background and flushed at exit. Raises
    NotInJobError outside a Gantry job, TypeError/ValueError for values that are not numbers.
    Never raises because the gateway is unreachable.
    """
    _default_reporter().report(values, step=step, timestamp=timestamp)


def flush_metrics(*, timeout: Optional[float] = 10.0) -> bool:
    """Waits until the points reported so far were sent; False if that took longer than ``timeout``.

    Does nothing (and returns True) when nothing was reported.
    """
    reporter = _reporter
    return True if reporter is None else reporter.flush(timeout)
