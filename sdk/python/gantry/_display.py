"""How a job shows itself: a one-line summary, an HTML card for notebooks, and the live
progress of ``Job.wait()`` (a rewritten line in a terminal, a line per change in a log or
captured stream, an updating card in Jupyter)."""

from __future__ import annotations

import html
import sys
import time
from datetime import datetime, timezone
from typing import IO, Optional

from .models import JobInfo

_STATE_COLOURS = {
    "Queued": "#6b7280",
    "Dispatching": "#2563eb",
    "Submitted": "#2563eb",
    "Running": "#0891b2",
    "Cancelling": "#d97706",
    "Succeeded": "#16a34a",
    "Failed": "#dc2626",
    "Cancelled": "#9ca3af",
}


def elapsed(info: JobInfo, now: Optional[datetime] = None) -> float:
    """Seconds the job has run (or waited, while it has not started), from the gateway's timestamps."""
    start = info.started_at or info.created_at
    if start is None:
        return 0.0
    end = info.finished_at or now or datetime.now(timezone.utc)
    return max((end - start).total_seconds(), 0.0)


def format_elapsed(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def summary_line(info: JobInfo) -> str:
    where = f" on {info.cluster}" if info.cluster else ""
    message = f" - {info.message}" if info.message else ""
    return f"job {info.id} ({info.name}) {info.state}{where} · {format_elapsed(elapsed(info))}{message}"


def html_card(info: JobInfo, spark_ui: bool = False) -> str:
    e = html.escape
    colour = _STATE_COLOURS.get(info.state, "#6b7280")
    rows = [
        ("id", f"<code>{e(info.id)}</code>"),
        ("kind", e(info.kind)),
        ("queue", e(info.queue)),
        ("owner", e(info.owner)),
        ("cluster", e(info.cluster or "-")),
        ("demand", e(str(info.demand))),
        ("elapsed", e(format_elapsed(elapsed(info)))),
        ("message", e(info.message or "-")),
    ]
    if info.labels:
        rows.append(("labels", e(", ".join(f"{k}={v}" for k, v in sorted(info.labels.items())))))
    if spark_ui:
        # Opened through a signed link made on demand (a link kept in a saved notebook would expire).
        rows.append(("Spark UI", "<code>job.spark_ui_link()</code> or <code>job.open_spark_ui()</code>"))
    body = "".join(
        f'<tr><th style="text-align:left;padding:1px 8px 1px 0;color:#6b7280;font-weight:normal">{k}</th>'
        f'<td style="text-align:left;padding:1px 0">{v}</td></tr>'
        for k, v in rows
    )
    return (
        f'<div class="gantry-job" data-job-id="{e(info.id)}" data-state="{e(info.state)}" '
        'style="border:1px solid #d1d5db;border-radius:6px;padding:8px 12px;display:inline-block;'
        'font-family:system-ui,sans-serif;font-size:13px">'
        f'<div style="margin-bottom:4px"><b>{e(info.name)}</b> '
        f'<span style="background:{colour};color:white;border-radius:4px;padding:1px 6px">{e(info.state)}</span></div>'
        f"<table>{body}</table></div>"
    )


class Progress:
    """Shows nothing; the base of the live displays."""

    def update(self, info: JobInfo) -> None:
        pass

    def close(self, info: JobInfo) -> None:
        pass


class TerminalProgress(Progress):
    """Rewrites one line in place, about once a second."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._width = 0

    def update(self, info: JobInfo) -> None:
        line = summary_line(info)[:160]
        pad = " " * max(self._width - len(line), 0)
        self._width = len(line)
        self._stream.write("\r" + line + pad)
        self._stream.flush()

    def close(self, info: JobInfo) -> None:
        self.update(info)
        self._stream.write("\n")
        self._stream.flush()


class LineProgress(Progress):
    """One line per change of state, cluster or message: readable in logs and captured output."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._last: Optional[tuple] = None

    def update(self, info: JobInfo) -> None:
        key = (info.state, info.cluster, info.message)
        if key != self._last:
            self._last = key
            self._stream.write(summary_line(info) + "\n")
            self._stream.flush()

    def close(self, info: JobInfo) -> None:
        self.update(info)


class JupyterProgress(Progress):
    """An HTML card updated in place in the notebook output."""

    def __init__(self) -> None:
        from IPython.display import HTML, display  # type: ignore[import-not-found]

        self._html = HTML
        self._handle = display(HTML(""), display_id=True)
        self._last_draw = 0.0

    def update(self, info: JobInfo) -> None:
        now = time.monotonic()
        if now - self._last_draw >= 1.0:
            self._draw(info)

    def close(self, info: JobInfo) -> None:
        self._draw(info)

    def _draw(self, info: JobInfo) -> None:
        self._last_draw = time.monotonic()
        if self._handle is not None:
            self._handle.update(self._html(html_card(info)))


def in_jupyter() -> bool:
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    try:
        shell = ipython_module.get_ipython()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - any failure means "not a kernel"
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None


def progress_for(enabled: bool, output: Optional[IO[str]]) -> Progress:
    if not enabled:
        return Progress()
    if output is None and in_jupyter():
        return JupyterProgress()
    stream = output if output is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        return TerminalProgress(stream)
    return LineProgress(stream)
