"""The transport: one HTTP request with the bearer token, retries and typed errors.

Standard library only (``http.client``). Safe requests (GET, HEAD, and anything the caller
marks idempotent, such as a submission carrying an Idempotency-Key) are retried on
connection errors and on 429/502/503/504, honouring ``Retry-After``; other requests are
sent once.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import logging
import random
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import urlencode, urlsplit

from . import __version__
from .errors import ApiError, GantryConnectionError, error_for

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Failures where the request may or may not have reached the server.
_NETWORK_ERRORS: Tuple[type, ...] = (OSError, http.client.HTTPException)

QueryValue = Union[str, int, float, bool, None, Sequence[str]]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry. Delays grow ``backoff * 2**n`` with jitter, capped at ``max_delay``."""

    retries: int = 3
    backoff: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: Optional[float]) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        base = self.backoff * (2 ** attempt)
        return min(base * (0.5 + random.random() / 2), self.max_delay)


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class StreamResponse:
    """An open response read as it arrives (logs with follow=true, the SSE watch)."""

    def __init__(
        self, connection: http.client.HTTPConnection, response: http.client.HTTPResponse, read_timeout: Optional[float]
    ) -> None:
        self._connection = connection
        if connection.sock is not None:
            connection.sock.settimeout(read_timeout)
        self._response = response
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.getheaders()}

    def lines(self) -> Iterator[str]:
        """Decoded lines without their line ending; a last unterminated line too."""
        try:
            while True:
                raw = self._response.readline()
                if not raw:
                    return
                yield raw.decode("utf-8", errors="replace").rstrip("\r\n")
        finally:
            self.close()

    def close(self) -> None:
        """Closes the connection; also unblocks a read waiting in another thread."""
        sock = self._connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._connection.close()


Opener = Callable[[str, str, Optional[float]], http.client.HTTPConnection]


def _open(scheme: str, netloc: str, timeout: Optional[float]) -> http.client.HTTPConnection:
    if scheme == "https":
        return http.client.HTTPSConnection(netloc, timeout=timeout, context=ssl.create_default_context())
    return http.client.HTTPConnection(netloc, timeout=timeout)


class Transport:
    """Sends requests to one gateway with one token, or a function answering the current one (a rotating token file)."""

    def __init__(
        self,
        base_url: str,
        token: Union[None, str, Callable[[], str]],
        *,
        timeout: float = 30.0,
        retry: RetryPolicy = RetryPolicy(),
        opener: Opener = _open,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"gateway URL {base_url!r} must look like http://host:port")
        self.base_url = base_url.rstrip("/")
        self._scheme = parts.scheme
        self._netloc = parts.netloc
        self._prefix = parts.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retry = retry
        self._opener = opener
        self._sleep = sleep

    # ------------------------------------------------------------------ requests

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, QueryValue]] = None,
        json_body: Any = None,
        body: Optional[bytes] = None,
        content_type: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        idempotent: Optional[bool] = None,
        timeout: Optional[float] = None,
    ) -> Response:
        """Sends a request and returns a 2xx answer; raises an ApiError for any other status."""
        if json_body is not None:
            body = json.dumps(json_body, allow_nan=False).encode("utf-8")
            content_type = content_type or "application/json"
        outcome = self._with_retries(
            method, path, query, body, content_type, headers, idempotent, timeout, stream=False
        )
        assert isinstance(outcome, Response)
        return outcome

    def stream(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, QueryValue]] = None,
        headers: Optional[Mapping[str, str]] = None,
        read_timeout: Optional[float] = None,
    ) -> StreamResponse:
        """Opens a GET whose body is read as it arrives; the caller closes it (or reads it to the end).

        Connecting uses the transport's timeout; reads wait ``read_timeout`` seconds (None: forever).
        """
        outcome = self._with_retries(method, path, query, None, None, headers, True, None, stream=True, read_timeout=read_timeout)
        assert isinstance(outcome, StreamResponse)
        return outcome

    def url_for(self, path: str, query: Optional[Mapping[str, QueryValue]] = None) -> str:
        return self.base_url + path + _query_string(query)

    # ------------------------------------------------------------------ internals

    def _with_retries(
        self,
        method: str,
        path: str,
        query: Optional[Mapping[str, QueryValue]],
        body: Optional[bytes],
        content_type: Optional[str],
        headers: Optional[Mapping[str, str]],
        idempotent: Optional[bool],
        timeout: Optional[float],
        *,
        stream: bool,
        read_timeout: Optional[float] = None,
    ) -> Union[Response, StreamResponse]:
        retryable = idempotent if idempotent is not None else method.upper() in _SAFE_METHODS
        target = self._prefix + path + _query_string(query)
        url = self.base_url + path + _query_string(query)
        all_headers = {"Accept": "application/json", "User-Agent": f"gantry-python/{__version__}"}
        token = self.token() if callable(self.token) else self.token
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        if content_type:
            all_headers["Content-Type"] = content_type
        all_headers.update(headers or {})
        attempt = 0
        while True:
            try:
                result = self._send_once(method, target, url, body, all_headers, timeout, stream, read_timeout)
            except _NETWORK_ERRORS as exc:
                if not retryable or attempt >= self.retry.retries:
                    raise GantryConnectionError(_connection_message(self.base_url, method, url, exc), url=url) from exc
                delay = self.retry.delay(attempt, None)
                logger.info("%s %s failed (%s); retrying in %.1fs", method, url, exc, delay)
            else:
                if not isinstance(result, ApiError):
                    return result
                if not retryable or result.status not in RETRY_STATUSES or attempt >= self.retry.retries:
                    raise result
                delay = self.retry.delay(attempt, _retry_after(result))
                logger.info("%s %s answered %d; retrying in %.1fs", method, url, result.status, delay)
            attempt += 1
            self._sleep(delay)

    def _send_once(
        self,
        method: str,
        target: str,
        url: str,
        body: Optional[bytes],
        headers: Dict[str, str],
        timeout: Optional[float],
        stream: bool,
        read_timeout: Optional[float],
    ) -> Union[Response, StreamResponse, ApiError]:
        connection = self._opener(self._scheme, self._netloc, timeout if timeout is not None else self.timeout)
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            if stream and 200 <= response.status < 300:
                return StreamResponse(connection, response, read_timeout)
            data = response.read()
            status = response.status
            response_headers = {k.lower(): v for k, v in response.getheaders()}
        except BaseException:
            connection.close()
            raise
        connection.close()
        if 200 <= status < 300:
            return Response(status, response_headers, data)
        error = _api_error(status, method, url, response_headers, data)
        error.headers = response_headers  # type: ignore[attr-defined]
        return error


def _query_string(query: Optional[Mapping[str, QueryValue]]) -> str:
    if not query:
        return ""
    pairs = []
    for key, value in query.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        pairs.append((key, str(value)))
    return "?" + urlencode(pairs) if pairs else ""


def _api_error(status: int, method: str, url: str, headers: Mapping[str, str], data: bytes) -> ApiError:
    text = data.decode("utf-8", errors="replace")
    problem: Optional[Mapping[str, Any]] = None
    if "json" in headers.get("content-type", ""):
        try:
            parsed = json.loads(text)
            problem = parsed if isinstance(parsed, dict) else None
        except ValueError:
            problem = None
    return error_for(status=status, method=method, url=url, problem=problem, body=text)


def _retry_after(error: ApiError) -> Optional[float]:
    """Seconds from a Retry-After header: a number, or an HTTP date."""
    value = getattr(error, "headers", {}).get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _connection_message(base_url: str, method: str, url: str, exc: BaseException) -> str:
    return (
        f"{method} {url} failed: {exc.__class__.__name__}: {exc}. Is the gateway running at {base_url}? "
        "Check GANTRY_URL (or Client(url=...)); `gantry serve` prints the URL it listens on."
    )
