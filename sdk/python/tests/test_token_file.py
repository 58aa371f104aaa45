"""A token kept in a file something else rewrites (a projected service-account token): read
again when the file changes, sent as the bearer token, found through GANTRY_TOKEN_FILE or the
default mount path."""

from __future__ import annotations

import os
import tempfile
import unittest
from pathlib import Path

import support  # noqa: F401 - puts the SDK on sys.path
from support import StubServer, json_reply

import gantry
from gantry.config import load_settings
from gantry.errors import ConfigError
from gantry.token_file import TokenFile


class TokenFileTests(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self._tmp.name)
        self.path = self.dir / "token"

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def rotate(self, token: str) -> None:
        # As the kubelet does: write beside it, then swap it in by rename, so readers never see half a token.
        staging = self.dir / "token.new"
        staging.write_text(token + "\n")
        os.replace(staging, self.path)

    def test_the_token_is_read_again_after_the_file_is_replaced(self) -> None:
        self.rotate("first")
        token = TokenFile(self.path)
        first = token()
        self.rotate("second-token")
        self.assertEqual((first, token()), ("first", "second-token"))

    def test_an_unchanged_file_is_not_read_again(self) -> None:
        self.rotate("first")
        token = TokenFile(self.path)
        token()
        stat = self.path.stat()
        # Same size, same modification time and inode: a rewrite the stamp cannot see is not read.
        with open(self.path, "r+", encoding="utf-8") as f:
            f.write("FIRST")
        os.utime(self.path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        self.assertEqual(token(), "first")

    def test_a_missing_file_is_a_config_error_naming_it(self) -> None:
        with self.assertRaises(ConfigError) as caught:
            TokenFile(self.dir / "absent")
        self.assertIn("absent", str(caught.exception))

    def test_the_last_token_serves_while_the_file_is_briefly_missing(self) -> None:
        self.rotate("first")
        token = TokenFile(self.path)
        self.path.unlink()
        self.assertEqual(token(), "first")

    def test_the_repr_never_shows_the_token(self) -> None:
        self.rotate("secret-value")
        self.assertNotIn("secret-value", repr(TokenFile(self.path)))


class TokenFileSettingsTests(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self._tmp.name)
        self.home = self.dir / "home"
        self.home.mkdir()
        self.path = self.dir / "token"
        self.path.write_text("from-file\n")

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def test_gantry_token_file_is_used_when_no_token_is_given(self) -> None:
        s = load_settings(env={"GANTRY_HOME": str(self.home), "GANTRY_TOKEN_FILE": str(self.path)})
        self.assertEqual((s.token, s.token_source, s.token_file), ("from-file", "GANTRY_TOKEN_FILE", str(self.path)))

    def test_gantry_token_wins_over_the_token_file(self) -> None:
        s = load_settings(env={"GANTRY_HOME": str(self.home), "GANTRY_TOKEN": "t", "GANTRY_TOKEN_FILE": str(self.path)})
        self.assertEqual((s.token, s.token_file), ("t", None))

    def test_an_unreadable_gantry_token_file_is_a_config_error(self) -> None:
        with self.assertRaises(ConfigError):
            load_settings(env={"GANTRY_HOME": str(self.home), "GANTRY_TOKEN_FILE": str(self.dir / "nope")})

    def test_the_default_mount_is_used_when_it_exists_and_nothing_else_names_a_token(self) -> None:
        s = load_settings(env={"GANTRY_HOME": str(self.home)}, default_token_file=str(self.path))
        self.assertEqual((s.token, s.token_source, s.token_file), ("from-file", str(self.path), str(self.path)))

    def test_the_config_file_wins_over_the_default_mount(self) -> None:
        (self.home / "config").write_text('{"token": "configured"}')
        s = load_settings(env={"GANTRY_HOME": str(self.home)}, default_token_file=str(self.path))
        self.assertEqual((s.token, s.token_file), ("configured", None))


class RotatingTokenOnTheWireTests(unittest.TestCase):
    def test_each_request_carries_the_token_the_file_holds_then(self) -> None:
        seen = []

        def handler(server, request, body):
            seen.append(request.headers.get("Authorization"))
            return json_reply(200, {"items": [], "nextCursor": None})

        with tempfile.TemporaryDirectory() as tmp, StubServer(handler) as server:
            path = Path(tmp) / "token"
            path.write_text("one")
            old = {k: os.environ.get(k) for k in ("GANTRY_TOKEN", "GANTRY_TOKEN_FILE", "GANTRY_HOME")}
            os.environ.pop("GANTRY_TOKEN", None)
            os.environ["GANTRY_TOKEN_FILE"] = str(path)
            os.environ["GANTRY_HOME"] = tmp
            try:
                client = gantry.Client(url=server.url, retries=0)
                list(client.jobs())
                staging = Path(tmp) / "token.new"
                staging.write_text("two-rotated")
                os.replace(staging, path)
                list(client.jobs())
            finally:
                for key, value in old.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
        self.assertEqual(seen, ["Bearer one", "Bearer two-rotated"])


if __name__ == "__main__":
    unittest.main()
