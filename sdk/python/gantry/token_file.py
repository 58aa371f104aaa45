"""A bearer token kept in a file that something else rewrites: a Kubernetes projected
service-account token.

A Kubeflow notebook pod can mount a token with audience ``gantry`` (docs/identity.md); the kubelet
rewrites the file before the token expires (by default after 80% of its life). The token is read
again whenever the file changes (its modification time, size or inode), so a long-running notebook
keeps working across rotations without re-reading the file on every request.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Optional, Tuple, Union

from .errors import ConfigError

__all__ = ["TokenFile", "DEFAULT_TOKEN_FILE"]

#: Where the docs' projected volume puts the token; used when it exists and no token was given.
DEFAULT_TOKEN_FILE = "/var/run/secrets/gantry/token"


class TokenFile:
    """The token in ``path``, re-read when the file changes. Calling it answers the current token."""

    def __init__(self, path: Union[str, "os.PathLike[str]"]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: Optional[Tuple[int, int, int]] = None
        self._token: Optional[str] = None
        self()  # fail now, not at the first request, when the file cannot be read

    def __call__(self) -> str:
        try:
            stat = self.path.stat()
        except OSError as exc:
            if self._token is not None:
                # Mid-rotation (the kubelet swaps a symlink): the last token is still good.
                return self._token
            raise ConfigError(f"cannot read the token file {self.path}: {exc}") from exc
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        with self._lock:
            if stamp != self._stamp or self._token is None:
                token = self._read()
                self._stamp, self._token = stamp, token
            return self._token

    def _read(self) -> str:
        try:
            token = self.path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            if self._token is not None:
                return self._token
            raise ConfigError(f"cannot read the token file {self.path}: {exc}") from exc
        if not token:
            raise ConfigError(f"the token file {self.path} is empty")
        return token

    def __repr__(self) -> str:  # never show the token itself
        return f"TokenFile({str(self.path)!r})"
