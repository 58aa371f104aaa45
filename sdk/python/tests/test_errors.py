"""Every error the gateway answers becomes a typed exception that says what to do."""

from __future__ import annotations

import unittest
import uuid

from support import shared_gateway

import gantry


def setUpModule() -> None:
    global gateway, client
    gateway = shared_gateway()
    client = gateway.client()


class ErrorTests(unittest.TestCase):
    def test_an_unknown_job_is_not_found(self) -> None:
        with self.assertRaises(gantry.NotFound) as caught:
            client.job("nosuchjob123")
        error = caught.exception
        self.assertIsInstance(error, gantry.ApiError)
        self.assertEqual(error.status, 404)
        self.assertIn("nosuchjob123", error.detail)
        self.assertIn("Check the id", str(error))

    def test_a_bad_token_is_unauthorized_and_says_where_tokens_come_from(self) -> None:
        with self.assertRaises(gantry.Unauthorized) as caught:
            gateway.client(token="not-a-token").whoami()
        self.assertEqual(caught.exception.status, 401)
        self.assertIn("GANTRY_TOKEN", str(caught.exception))

    def test_a_user_on_admin_endpoints_is_forbidden(self) -> None:
        name = "u" + uuid.uuid4().hex[:8]
        user = gateway.client(token=gateway.create_user(name))
        self.assertEqual(user.whoami().name, name)
        with self.assertRaises(gantry.Forbidden) as caught:
            user._transport.request("GET", "/api/v1/users")
        self.assertEqual(caught.exception.status, 403)
        with self.assertRaises(gantry.Forbidden):
            list(user.jobs(owner="admin"))

    def test_another_users_job_is_not_found_for_a_user(self) -> None:
        job = client.submit_command("true")
        user = gateway.client(token=gateway.create_user("v" + uuid.uuid4().hex[:8]))
        with self.assertRaises(gantry.NotFound):
            user.job(job.id)
        job.wait(timeout=60, progress=False)

    def test_a_bad_manifest_is_a_validation_error_naming_each_field(self) -> None:
        with self.assertRaises(gantry.ValidationError) as caught:
            client.submit({"kind": "Command", "spec": {"command": [], "resources": {"cpu": "lots"}}}, queue="nope")
        error = caught.exception
        self.assertEqual(error.status, 422)
        self.assertEqual(error.fields, ["manifest.spec.command", "manifest.spec.resources.cpu", "queue"])
        self.assertIn("manifest.spec.resources.cpu", str(error))
        self.assertIn("does not exist", " ".join(error.errors["queue"]))

    def test_an_unknown_kind_names_the_kinds_gantry_runs(self) -> None:
        with self.assertRaises(gantry.ValidationError) as caught:
            client.submit({"kind": "RayJob", "spec": {}})
        self.assertEqual(caught.exception.fields, ["manifest.kind"])
        self.assertIn("Command", caught.exception.errors["manifest.kind"][0])

    def test_a_reused_idempotency_key_with_another_body_is_a_conflict(self) -> None:
        key = uuid.uuid4().hex
        first = client.submit_command("true", idempotency_key=key)
        again = client.submit_command("true", idempotency_key=key)
        self.assertEqual(again.id, first.id)
        with self.assertRaises(gantry.Conflict) as caught:
            client.submit_command("echo different", idempotency_key=key)
        self.assertEqual(caught.exception.status, 409)
        self.assertIn(first.id, caught.exception.detail)
        first.wait(timeout=60, progress=False)

    def test_a_bad_cursor_is_a_validation_error_on_the_cursor(self) -> None:
        with self.assertRaises(gantry.ValidationError) as caught:
            client._transport.request("GET", "/api/v1/jobs", query={"cursor": "zzz"})
        self.assertEqual(caught.exception.status, 400)
        self.assertEqual(caught.exception.fields, ["cursor"])

    def test_a_client_without_any_token_is_a_config_error(self) -> None:
        import os
        from unittest import mock

        with mock.patch.dict(os.environ, {"GANTRY_HOME": "/nonexistent-gantry-home"}, clear=False):
            os.environ.pop("GANTRY_TOKEN", None)
            os.environ.pop("GANTRY_DATA_DIR", None)
            with self.assertRaises(gantry.ConfigError) as caught:
                gantry.Client(url=gateway.url)
        self.assertIn("GANTRY_TOKEN", str(caught.exception))

    def test_every_error_is_a_gantry_error(self) -> None:
        for cls in (gantry.NotFound, gantry.Unauthorized, gantry.Forbidden, gantry.ValidationError,
                    gantry.Conflict, gantry.ServerUnavailable):
            self.assertTrue(issubclass(cls, gantry.ApiError))
        for cls in (gantry.ApiError, gantry.ConfigError, gantry.GantryConnectionError, gantry.WaitTimeout,
                    gantry.NotInJobError):
            self.assertTrue(issubclass(cls, gantry.GantryError))


if __name__ == "__main__":
    unittest.main()
