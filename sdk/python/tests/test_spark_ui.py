"""Opening a job's Spark UI: the SDK asks for a signed link (never a URL with the token in it), shows
it in a notebook and opens it in a browser; a job that has no UI, or is another user's, is NotFound."""

from __future__ import annotations

import json
import unittest
import urllib.request
from unittest import mock

from support import StubServer, json_reply, shared_gateway
from test_watch import job_json

import gantry

LINK = "http://ui.example:8081/api/v1/jobs/abc123/spark-ui-open?ticket=CfDJ8%3Cx%3E"


def spark_stub(stub, request, body):
    if request.command == "GET" and request.path == "/api/v1/jobs/abc123":
        return json_reply(200, {**job_json("Running"), "kind": "SparkApplication", "sparkUiUrl": "/api/v1/jobs/abc123/spark-ui/"})
    if request.command == "POST" and request.path == "/api/v1/jobs/abc123/spark-ui/link":
        return json_reply(200, {"url": LINK, "expiresAt": "2026-12-02T12:05:00+00:00", "newField": 1})
    return json_reply(404, {"status": 404, "title": "Not found"})


class SignedLinkTests(unittest.TestCase):
    def test_spark_ui_link_asks_the_api_for_a_signed_link_and_shows_it_as_a_link(self) -> None:
        with StubServer(spark_stub) as stub:
            job = gantry.Client(url=stub.url, token="secret-token").job("abc123")
            link = job.spark_ui_link()
        self.assertEqual(link.url, LINK)
        self.assertEqual(str(link), LINK)
        self.assertEqual(link.expires_at.isoformat(), "2026-12-02T12:05:00+00:00")
        self.assertEqual(link.extra, {"newField": 1})
        html = link._repr_html_()
        self.assertIn('href="http://ui.example:8081/api/v1/jobs/abc123/spark-ui-open?ticket=CfDJ8%3Cx%3E"', html)
        self.assertIn('target="_blank"', html)
        method, path, headers, _ = stub.requests[-1]
        self.assertEqual((method, path), ("POST", "/api/v1/jobs/abc123/spark-ui/link"))
        self.assertEqual(headers["authorization"], "Bearer secret-token")
        self.assertNotIn("secret-token", link.url)
        # The job's card points at the helpers, not at a link that would expire in a saved notebook.
        self.assertIn("job.spark_ui_link()", job._repr_html_())

    def test_open_spark_ui_opens_a_fresh_link_in_the_browser(self) -> None:
        with StubServer(spark_stub) as stub, mock.patch("webbrowser.open") as browser:
            link = gantry.Client(url=stub.url, token="t").job("abc123").open_spark_ui()
        browser.assert_called_once_with(LINK, new=2)
        self.assertEqual(link.url, LINK)


class RealGatewayTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.gateway = shared_gateway()

    def test_a_command_job_has_no_spark_ui_and_another_users_job_is_not_found(self) -> None:
        admin = self.gateway.client()
        command = admin.submit_command("true", cpu="100m", memory="32Mi")
        with self.assertRaises(gantry.NotFound):
            command.spark_ui_link()
        other = gantry.Client(url=self.gateway.url, token=self.gateway.create_user("sdk-spark-ui-other"))
        with self.assertRaises(gantry.NotFound):
            other.job(command.id)
        with self.assertRaises(gantry.NotFound) as refused:
            gantry.Job(other._transport, command.info).spark_ui_link()
        self.assertEqual(refused.exception.status, 404)

    def test_the_ui_origin_of_the_gateway_serves_no_api(self) -> None:
        request = urllib.request.Request(self.gateway.ui_url + "/api/v1/jobs", headers={"Authorization": f"Bearer {self.gateway.admin_token}"})
        with self.assertRaises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=30)
        self.assertEqual(answer.exception.code, 404)
        self.assertEqual(json.loads(answer.exception.read())["status"], 404)


if __name__ == "__main__":
    unittest.main()
