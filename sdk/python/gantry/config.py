"""Where the gateway is and which token to send, found the way the ``gantry`` CLI finds them.

For each of the URL and the token, the first of:

1. the argument given to ``Client(url=..., token=...)``;
2. the environment: ``GANTRY_URL``, ``GANTRY_TOKEN``, then for the token ``GANTRY_TOKEN_FILE``
   (a file re-read when it changes: a projected service-account token, see ``gantry.token_file``);
3. the config file ``$GANTRY_HOME/config`` (default ``~/.gantry/config``), JSON
   ``{"url": "...", "token": "..."}``, written by ``gantry login URL --token T``;
4. for the token, ``/var/run/secrets/gantry/token`` when that file exists (a notebook pod with the
   projected volume of docs/identity.md);
5. the local defaults: ``http://127.0.0.1:8080`` and the admin token ``gantry serve`` wrote to
   ``$GANTRY_DATA_DIR/admin.token`` (default ``$GANTRY_HOME/admin.token``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from .errors import ConfigError
from .token_file import DEFAULT_TOKEN_FILE

__all__ = ["Settings", "DEFAULT_URL", "load_settings", "gantry_home"]

DEFAULT_URL = "http://127.0.0.1:8080"


@dataclass(frozen=True)
class Settings:
    url: str
    token: Optional[str]
    url_source: str
    token_source: str
    #: Set when the token comes from a file that is re-read as it rotates (``token`` is then its first value).
    token_file: Optional[str] = None

    def __repr__(self) -> str:  # never show the token itself
        shown = "None" if self.token is None else "'***'"
        return (
            f"Settings(url={self.url!r}, token={shown}, url_source={self.url_source!r}, "
            f"token_source={self.token_source!r})"
        )


def gantry_home(env: Mapping[str, str]) -> Path:
    home = env.get("GANTRY_HOME")
    return Path(home) if home else Path.home() / ".gantry"


def load_settings(
    *,
    url: Optional[str] = None,
    token: Optional[str] = None,
    env: Optional[Mapping[str, str]] = None,
    default_token_file: str = DEFAULT_TOKEN_FILE,
) -> Settings:
    env = os.environ if env is None else env
    config_path = gantry_home(env) / "config"
    file = _read_config(config_path)

    if url:
        found_url, url_source = url, "argument"
    elif env.get("GANTRY_URL"):
        found_url, url_source = env["GANTRY_URL"], "GANTRY_URL"
    elif file.get("url"):
        found_url, url_source = str(file["url"]), str(config_path)
    else:
        found_url, url_source = DEFAULT_URL, "default"

    token_file: Optional[str] = None
    if token:
        found_token, token_source = token, "argument"
    elif env.get("GANTRY_TOKEN"):
        found_token, token_source = env["GANTRY_TOKEN"], "GANTRY_TOKEN"
    elif env.get("GANTRY_TOKEN_FILE"):
        token_file = env["GANTRY_TOKEN_FILE"]
        found_token, token_source = _read_token(Path(token_file)), "GANTRY_TOKEN_FILE"
        if found_token is None:
            raise ConfigError(f"GANTRY_TOKEN_FILE names {token_file}, which cannot be read or is empty")
    elif file.get("token"):
        found_token, token_source = str(file["token"]), str(config_path)
    elif Path(default_token_file).is_file():
        token_file = default_token_file
        found_token, token_source = _read_token(Path(token_file)), default_token_file
    else:
        admin = Path(env.get("GANTRY_DATA_DIR") or gantry_home(env)) / "admin.token"
        found_token, token_source = _read_token(admin), str(admin)
        if found_token is None:
            token_source = "none"
    return Settings(found_url.rstrip("/"), found_token, url_source, token_source, token_file)


def _read_config(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f'{path} is not valid JSON ({exc}); expected {{"url": "...", "token": "..."}}') from exc
    if not isinstance(data, dict):
        raise ConfigError(f'{path} must hold a JSON object: {{"url": "...", "token": "..."}}')
    # The CLI writes camel-case-insensitive keys; accept either case.
    return {str(k).lower(): v for k, v in data.items()}


def _read_token(path: Path) -> Optional[str]:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return token or None
