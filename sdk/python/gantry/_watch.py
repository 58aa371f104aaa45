"""Following a job until it ends: the SSE watch in a background thread, resumed with
Last-Event-ID when the stream breaks, and polling when SSE keeps failing (a buffering
proxy, an old gateway). Updates and fatal errors are handed over through a queue."""

from __future__ import annotations

import json
import logging
import queue
import threading
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Union

from ._http import StreamResponse, Transport
from .errors import ApiError, GantryConnectionError
from .models import JobInfo

logger = logging.getLogger(__name__)

# The gateway sends a keep-alive comment every 15 s; a silent minute means the stream is dead.
_WATCH_READ_TIMEOUT = 60.0
_SSE_ATTEMPTS_BEFORE_POLLING = 3
_POLL_FAILURES_BEFORE_GIVING_UP = 10

Update = Union[JobInfo, BaseException]


@dataclass(frozen=True)
class SseEvent:
    event: str
    data: str
    id: Optional[str]


def parse_sse(lines: Iterable[str]) -> Iterator[SseEvent]:
    """Server-Sent Events from decoded lines (the text/event-stream format, comments skipped)."""
    event, data, event_id = "message", [], None
    for line in lines:
        if line == "":
            if data:
                yield SseEvent(event, "\n".join(data), event_id)
            event, data = "message", []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
        elif name == "id":
            event_id = value
    if data:
        yield SseEvent(event, "\n".join(data), event_id)


class Watcher(threading.Thread):
    """Puts each new JobInfo (or the error that ends the watch) on ``updates``."""

    def __init__(self, transport: Transport, job_id: str, *, poll_interval: float) -> None:
        super().__init__(name=f"gantry-watch-{job_id}", daemon=True)
        self.updates: "queue.Queue[Update]" = queue.Queue()
        self._transport = transport
        self._job_id = job_id
        self._poll_interval = poll_interval
        self._stopped = threading.Event()
        self._stream: Optional[StreamResponse] = None
        self._last_event_id: Optional[str] = None

    def stop(self) -> None:
        self._stopped.set()
        stream = self._stream
        if stream is not None:
            stream.close()

    def run(self) -> None:
        try:
            self._follow()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            if not self._stopped.is_set():
                self.updates.put(exc)

    def _follow(self) -> None:
        sse_failures = 0
        while not self._stopped.is_set() and sse_failures < _SSE_ATTEMPTS_BEFORE_POLLING:
            try:
                if self._watch_once():
                    return
                sse_failures = 0
            except ApiError as exc:
                if exc.status in (401, 403, 404):
                    raise
                sse_failures += 1
                logger.info("watch of job %s answered %s; trying again", self._job_id, exc.status)
            except (GantryConnectionError, OSError, ValueError) as exc:
                sse_failures += 1
                logger.info("watch of job %s broke (%s); trying again", self._job_id, exc)
            self._stopped.wait(min(self._poll_interval, 1.0 * sse_failures))
        self._poll()

    def _watch_once(self) -> bool:
        """Reads the stream to its end; True once the job has ended."""
        # With problem+json acceptable too: for Accept: text/event-stream alone the gateway turns a 404 into a 500.
        headers = {"Accept": "text/event-stream, application/problem+json"}
        if self._last_event_id:
            headers["Last-Event-ID"] = self._last_event_id
        self._stream = self._transport.stream(
            "GET", f"/api/v1/jobs/{self._job_id}/watch", headers=headers, read_timeout=_WATCH_READ_TIMEOUT
        )
        if self._stopped.is_set():
            self._stream.close()
            return True
        for event in parse_sse(self._stream.lines()):
            if event.id:
                self._last_event_id = event.id
            if event.event == "state":
                payload = json.loads(event.data)
                info = JobInfo.from_json(payload["job"])
                self.updates.put(info)
                if info.done:
                    return True
        # The stream ended without a terminal event (a proxy timeout, a gateway restart): ask.
        info = self._get()
        self.updates.put(info)
        return info.done

    def _poll(self) -> None:
        logger.info("following job %s by polling every %.1fs", self._job_id, self._poll_interval)
        failures = 0
        while not self._stopped.is_set():
            try:
                info = self._get()
            except GantryConnectionError:
                failures += 1
                if failures >= _POLL_FAILURES_BEFORE_GIVING_UP:
                    raise
            else:
                failures = 0
                self.updates.put(info)
                if info.done:
                    return
            self._stopped.wait(self._poll_interval)

    def _get(self) -> JobInfo:
        response = self._transport.request("GET", f"/api/v1/jobs/{self._job_id}")
        return JobInfo.from_json(response.json())

