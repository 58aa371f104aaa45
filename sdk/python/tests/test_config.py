"""Where the URL and token come from: argument, then environment, then ~/.gantry/config, then
the local defaults (the admin token `gantry serve` wrote), as the CLI does."""

from __future__ import annotations

import json
import os
import tempfile
import unittest
from pathlib import Path

import support  # noqa: F401 - puts the SDK on sys.path

import gantry
from gantry.config import DEFAULT_URL, load_settings


class ConfigTests(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.home = Path(self._tmp.name) / "home"
        self.data = Path(self._tmp.name) / "data"
        self.home.mkdir()
        self.data.mkdir()

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def write_config(self, **values: str) -> None:
        (self.home / "config").write_text(json.dumps(values))

    def test_environment_wins_over_the_config_file(self) -> None:
        self.write_config(url="http://file:1", token="file-token")
        s = load_settings(env={"GANTRY_HOME": str(self.home), "GANTRY_URL": "http://env:2", "GANTRY_TOKEN": "env-token"})
        self.assertEqual((s.url, s.token, s.url_source, s.token_source), ("http://env:2", "env-token", "GANTRY_URL", "GANTRY_TOKEN"))

    def test_the_config_file_wins_over_the_admin_token(self) -> None:
        self.write_config(url="http://file:1/", token="file-token")
        (self.home / "admin.token").write_text("admin-token\n")
        s = load_settings(env={"GANTRY_HOME": str(self.home)})
        self.assertEqual((s.url, s.token), ("http://file:1", "file-token"))
        self.assertEqual(s.token_source, str(self.home / "config"))

    def test_each_value_is_looked_up_on_its_own(self) -> None:
        self.write_config(url="http://file:1", token="file-token")
        s = load_settings(env={"GANTRY_HOME": str(self.home), "GANTRY_URL": "http://env:2"})
        self.assertEqual((s.url, s.token), ("http://env:2", "file-token"))

    def test_without_env_or_file_the_local_admin_token_and_default_url(self) -> None:
        (self.home / "admin.token").write_text("admin-token\n")
        s = load_settings(env={"GANTRY_HOME": str(self.home)})
        self.assertEqual((s.url, s.token, s.url_source), (DEFAULT_URL, "admin-token", "default"))

    def test_gantry_data_dir_says_where_the_admin_token_is(self) -> None:
        (self.home / "admin.token").write_text("home-admin")
        (self.data / "admin.token").write_text("data-admin")
        s = load_settings(env={"GANTRY_HOME": str(self.home), "GANTRY_DATA_DIR": str(self.data)})
        self.assertEqual(s.token, "data-admin")

    def test_arguments_win_over_everything(self) -> None:
        self.write_config(url="http://file:1", token="file-token")
        s = load_settings(url="http://arg:3", token="arg", env={"GANTRY_HOME": str(self.home), "GANTRY_TOKEN": "env"})
        self.assertEqual((s.url, s.token, s.token_source), ("http://arg:3", "arg", "argument"))

    def test_no_token_anywhere_is_none(self) -> None:
        s = load_settings(env={"GANTRY_HOME": str(self.home)})
        self.assertIsNone(s.token)
        self.assertEqual(s.token_source, "none")

    def test_a_broken_config_file_is_a_config_error_naming_the_file(self) -> None:
        (self.home / "config").write_text("{not json")
        with self.assertRaises(gantry.ConfigError) as caught:
            load_settings(env={"GANTRY_HOME": str(self.home)})
        self.assertIn(str(self.home / "config"), str(caught.exception))

    def test_the_token_never_shows_in_repr(self) -> None:
        s = load_settings(token="secret-token", env={"GANTRY_HOME": str(self.home)})
        self.assertNotIn("secret-token", repr(s))
        client = gantry.Client(url="http://127.0.0.1:9", token="secret-token")
        self.assertNotIn("secret-token", repr(client))

    def test_the_client_reads_the_same_file_as_the_cli(self) -> None:
        self.write_config(url="http://127.0.0.1:9", token="file-token")
        saved = dict(os.environ)
        try:
            for key in ("GANTRY_URL", "GANTRY_TOKEN", "GANTRY_DATA_DIR"):
                os.environ.pop(key, None)
            os.environ["GANTRY_HOME"] = str(self.home)
            client = gantry.Client()
        finally:
            os.environ.clear()
            os.environ.update(saved)
        self.assertEqual(client.url, "http://127.0.0.1:9")
        self.assertEqual(client.settings.token, "file-token")


if __name__ == "__main__":
    unittest.main()
