"""The exceptions the SDK raises. Each one says what to do next.

    GantryError
    ├── ConfigError            no gateway URL or token could be found
    ├── GantryConnectionError  the gateway could not be reached (after retries)
    ├── WaitTimeout            Job.wait(timeout=...) ran out of time
    ├── NotInJobError          report_metrics() called outside a Gantry job
    └── ApiError               the gateway answered with an error (status + problem details)
        ├── ValidationError    400/422: ``fields`` maps each bad field to its messages
        ├── Unauthorized       401
        ├── Forbidden          403
        ├── NotFound           404
        ├── Conflict           409
        └── ServerUnavailable  502/503/504 (after retries)
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

__all__ = [
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
    "error_for",
]


class GantryError(Exception):
    """Base class of every error the SDK raises."""


class ConfigError(GantryError):
    """The SDK could not find where the gateway is or which token to send."""


class GantryConnectionError(GantryError, ConnectionError):
    """The gateway did not answer at all: refused, reset, or timed out (after retries)."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class WaitTimeout(GantryError, TimeoutError):
    """``Job.wait(timeout=...)`` returned before the job ended. The job keeps running."""


class NotInJobError(GantryError):
    """``report_metrics()`` needs GANTRY_URL, GANTRY_JOB_ID and GANTRY_JOB_TOKEN, set inside a job."""


class ApiError(GantryError):
    """The gateway answered with an error status. ``problem`` is the RFC 7807 body as sent."""

    hint = ""

    def __init__(
        self,
        *,
        status: int,
        method: str,
        url: str,
        problem: Optional[Mapping[str, Any]] = None,
        body: str = "",
    ) -> None:
        self.status = status
        self.method = method
        self.url = url
        self.problem: Dict[str, Any] = dict(problem or {})
        self.body = body
        super().__init__(self._message())

    @property
    def title(self) -> str:
        return str(self.problem.get("title") or "")

    @property
    def detail(self) -> str:
        return str(self.problem.get("detail") or "")

    @property
    def errors(self) -> Dict[str, List[str]]:
        """The problem's ``errors`` object: field path -> messages (empty when there is none)."""
        raw = self.problem.get("errors")
        if not isinstance(raw, Mapping):
            return {}
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in raw.items()}

    def _message(self) -> str:
        what = self.detail or self.title or self.body.strip()[:300] or "no details"
        text = f"{self.method} {self.url} -> {self.status}: {what}"
        return f"{text}. {self.hint}" if self.hint else text


class ValidationError(ApiError):
    """The request had invalid fields; ``fields`` lists their paths (``manifest.spec.command``, ``queue``)."""

    hint = "Fix the fields named above and submit again."

    @property
    def fields(self) -> List[str]:
        return sorted(self.errors)

    def _message(self) -> str:
        if not self.errors:
            return super()._message()
        lines = [f"{self.method} {self.url} -> {self.status}: {self.title or 'invalid fields'}"]
        lines += [f"  {field}: {'; '.join(messages)}" for field, messages in sorted(self.errors.items())]
        lines.append(self.hint)
        return "\n".join(lines)


class Unauthorized(ApiError):
    hint = (
        "The token is missing or not valid: set GANTRY_TOKEN, pass Client(token=...), or run "
        "`gantry login URL --token T` (writes ~/.gantry/config)."
    )


class Forbidden(ApiError):
    hint = "Your token is valid but not allowed to do this; queues, clusters, users and tokens need an admin token."


class NotFound(ApiError):
    hint = "Check the id; a job owned by another user is also 'not found' unless you are an admin."


class Conflict(ApiError):
    hint = "An Idempotency-Key can only be reused with the very same request body; use a new key for a new job."

    def _message(self) -> str:
        if "/api/v1/experiments/" in self.url:
            # Not a reused key: the experiment's state refused the change, and the gateway says why.
            what = self.detail or self.title or "the experiment's state does not allow this"
            return f"{self.method} {self.url} -> {self.status}: {what}"
        return super()._message()


class ServerUnavailable(ApiError):
    hint = "The gateway is starting, overloaded or behind a failing proxy; try again shortly."


_BY_STATUS = {
    400: ValidationError,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: ValidationError,
    502: ServerUnavailable,
    503: ServerUnavailable,
    504: ServerUnavailable,
}


def error_for(*, status: int, method: str, url: str, problem: Optional[Mapping[str, Any]], body: str) -> ApiError:
    """The most specific ApiError for an answer's status."""
    cls = _BY_STATUS.get(status, ApiError)
    return cls(status=status, method=method, url=url, problem=problem, body=body)
