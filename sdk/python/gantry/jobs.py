"""``Job``: a handle on one job of the gateway, holding the last snapshot it saw (``info``)."""

from __future__ import annotations

import dataclasses
import logging
import queue
import time
import webbrowser
from datetime import datetime
from urllib.parse import quote
from typing import IO, Any, Dict, Iterator, List, Mapping, Optional, Union, overload

from ._display import html_card, progress_for, summary_line
from ._http import Transport
from ._watch import Watcher
from .errors import WaitTimeout
from .metrics import MetricPoint
from .models import Demand, Explanation, JobEvent, JobInfo, JobResource, SparkUiLink

try:  # Literal is in typing from 3.8; the fallback only matters to type checkers.
    from typing import Literal
except ImportError:  # pragma: no cover
    from typing_extensions import Literal  # type: ignore[assignment]

logger = logging.getLogger(__name__)

__all__ = ["Job"]

# Errors come as problem details; a bare text/plain Accept makes the gateway answer them with a 500.
_LOG_ACCEPT = "text/plain, application/problem+json"


class Job:
    """One job. Attributes read the last snapshot; ``refresh()`` and ``wait()`` take a new one."""

    def __init__(self, transport: Transport, info: JobInfo) -> None:
        self._transport = transport
        self._info = info

    # ------------------------------------------------------------------ the snapshot

    @property
    def info(self) -> JobInfo:
        return self._info

    @property
    def id(self) -> str:
        return self._info.id

    @property
    def name(self) -> str:
        return self._info.name

    @property
    def kind(self) -> str:
        return self._info.kind

    @property
    def queue(self) -> str:
        return self._info.queue

    @property
    def owner(self) -> str:
        return self._info.owner

    @property
    def labels(self) -> Mapping[str, str]:
        return self._info.labels

    @property
    def state(self) -> str:
        return self._info.state

    @property
    def cluster(self) -> Optional[str]:
        return self._info.cluster

    @property
    def message(self) -> str:
        return self._info.message

    @property
    def attempts(self) -> int:
        return self._info.attempts

    @property
    def demand(self) -> Demand:
        return self._info.demand

    @property
    def created_at(self) -> Optional[datetime]:
        return self._info.created_at

    @property
    def started_at(self) -> Optional[datetime]:
        return self._info.started_at

    @property
    def finished_at(self) -> Optional[datetime]:
        return self._info.finished_at

    @property
    def manifest(self) -> Optional[Mapping[str, Any]]:
        """The manifest as stored (fetched by ``refresh()``; known right after a submit)."""
        return self._info.manifest

    @property
    def resource(self) -> Optional[JobResource]:
        """The Kubernetes custom resource the job is (cluster, namespace, Gantry's ``g-<id>`` name, kind);
        None until it is created, and for jobs that run elsewhere."""
        return self._info.resource

    @property
    def done(self) -> bool:
        """True once the job is Succeeded, Failed or Cancelled."""
        return self._info.done

    @property
    def succeeded(self) -> bool:
        return self._info.state == "Succeeded"

    @property
    def spark_ui_url(self) -> Optional[str]:
        """Where the API says the job's Spark UI is, as an absolute URL (None when the job has none).

        A browser is sent on from there to the gateway's UI origin, which lets in only the holder of
        a signed link: use ``spark_ui_link()`` or ``open_spark_ui()`` to open the UI."""
        url = self._info.spark_ui_url
        if url and url.startswith("/"):
            return self._transport.base_url + url
        return url

    # ------------------------------------------------------------------ calls

    def refresh(self) -> "Job":
        """Reads the job again (with its manifest); returns itself."""
        response = self._transport.request("GET", self._path())
        self._info = JobInfo.from_json(response.json())
        return self

    def wait(
        self,
        *,
        timeout: Optional[float] = None,
        progress: bool = True,
        output: Optional[IO[str]] = None,
        poll_interval: float = 2.0,
    ) -> "Job":
        """Follows the job until it ends and returns itself; check ``state`` (or ``succeeded``) after.

        Follows the SSE watch, falling back to polling every ``poll_interval`` seconds. With
        ``progress`` it shows a live card in Jupyter, a rewritten line on a terminal, or a line per
        change on any other ``output`` (default: stderr). Raises WaitTimeout after ``timeout`` seconds.
        """
        display = progress_for(progress, output)
        if self.done:
            display.close(self._info)
            return self
        deadline = None if timeout is None else time.monotonic() + timeout
        watcher = Watcher(self._transport, self.id, poll_interval=poll_interval)
        watcher.start()
        try:
            while True:
                tick = 1.0 if deadline is None else max(min(1.0, deadline - time.monotonic()), 0.0)
                try:
                    update = watcher.updates.get(timeout=tick)
                except queue.Empty:
                    update = None
                if isinstance(update, BaseException):
                    raise update
                if update is not None:
                    self._take(update)
                display.update(self._info)
                if self.done:
                    return self
                if deadline is not None and time.monotonic() >= deadline:
                    raise WaitTimeout(
                        f"job {self.id} is still {self.state} after {timeout:g}s; it keeps running "
                        "(call wait() again, or cancel())."
                    )
        finally:
            watcher.stop()
            display.close(self._info)

    @overload
    def logs(self, *, follow: Literal[False] = ..., tail: Optional[int] = ..., replica: Optional[str] = ...) -> str: ...

    @overload
    def logs(self, *, follow: Literal[True], tail: Optional[int] = ..., replica: Optional[str] = ...) -> Iterator[str]: ...

    def logs(
        self, *, follow: bool = False, tail: Optional[int] = None, replica: Optional[str] = None
    ) -> Union[str, Iterator[str]]:
        """The log (driver's or worker-0's unless ``replica``) as one string, or, with ``follow``,
        an iterator of lines that ends when the job ends. ``tail`` keeps only the last N lines."""
        query = {"tail": tail, "replica": replica}
        if not follow:
            response = self._transport.request("GET", self._path("/logs"), query=query, headers={"Accept": _LOG_ACCEPT})
            return response.text()
        return self._follow_logs(query)

    def _follow_logs(self, query: Dict[str, Any]) -> Iterator[str]:
        stream = self._transport.stream(
            "GET", self._path("/logs"), query={**query, "follow": True}, headers={"Accept": _LOG_ACCEPT}, read_timeout=None
        )
        try:
            yield from stream.lines()
        finally:
            stream.close()

    def cancel(self) -> "Job":
        """Asks the gateway to cancel the job (idempotent; a finished job stays as it is); returns itself."""
        response = self._transport.request("POST", self._path("/cancel"), idempotent=True)
        self._take(JobInfo.from_json(response.json()))
        return self

    def spark_ui_link(self) -> SparkUiLink:
        """A signed, short-lived link that opens this SparkApplication's UI in a browser (it carries
        no token; it expires within minutes, so ask again rather than keep one). In a notebook the
        answer shows as a link. Raises ``NotFound`` for a job that is not a SparkApplication or
        that you may not see."""
        response = self._transport.request("POST", self._path("/spark-ui/link"), idempotent=True)
        return SparkUiLink.from_json(response.json())

    def open_spark_ui(self) -> SparkUiLink:
        """Opens the Spark UI in this machine's web browser through a fresh signed link, and returns
        the link (for a notebook whose kernel runs elsewhere: display it and click it)."""
        link = self.spark_ui_link()
        webbrowser.open(link.url, new=2)
        return link

    def events(self) -> List[JobEvent]:
        """Every transition, oldest first, each with its time and reason."""
        response = self._transport.request("GET", self._path("/events"))
        return [JobEvent.from_json(e) for e in (response.json() or {}).get("items", [])]

    def explain(self) -> Explanation:
        """Why the job is where it is: its queue position and, per cluster, whether and why it fits."""
        return Explanation.from_json(self._transport.request("GET", self._path("/explain")).json())

    def metrics(self, name: Optional[str] = None) -> List[MetricPoint]:
        """The metric points the job pushed, ordered by name, step and time; only ``name`` if given."""
        response = self._transport.request("GET", self._path("/metrics"), query={"name": name})
        return [MetricPoint.from_json(p) for p in (response.json() or {}).get("items", [])]

    def metric_series(self) -> Dict[str, List[MetricPoint]]:
        """Every pushed metric, grouped by name."""
        series: Dict[str, List[MetricPoint]] = {}
        for point in self.metrics():
            series.setdefault(point.name, []).append(point)
        return series

    # ------------------------------------------------------------------ display

    def _repr_html_(self) -> str:
        return html_card(self._info, spark_ui=self._info.spark_ui_url is not None)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.name!r} {self.kind} {self.state}>"

    def __str__(self) -> str:
        return summary_line(self._info)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Job) and other.id == self.id and other._transport.base_url == self._transport.base_url

    def __hash__(self) -> int:
        return hash(self.id)

    # ------------------------------------------------------------------ internals

    def _path(self, suffix: str = "") -> str:
        return f"/api/v1/jobs/{quote(self.id, safe='')}{suffix}"

    def _take(self, info: JobInfo) -> None:
        """Adopts a newer snapshot, keeping the manifest when the new one comes without it."""
        if info.manifest is None and self._info.manifest is not None:
            info = dataclasses.replace(info, manifest=self._info.manifest)
        self._info = info
