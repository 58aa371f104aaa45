"""Retries: loopback stubs answer 503 with Retry-After or drop connections; a forwarding stub in
front of the real gateway loses the answer to a submission, whose retry must not create a second job."""

from __future__ import annotations

import email.utils
import time
import unittest
import uuid

from support import StubServer, forward, free_port, json_reply, shared_gateway

import gantry
from gantry._http import RetryPolicy, Transport


def scripted(*replies):
    """A handler that answers each request with the next reply (the last one repeats)."""
    queue = list(replies)

    def handler(stub, request, body):
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        return reply(stub, request, body) if callable(reply) else reply

    return handler


UNAVAILABLE = json_reply(503, {"title": "Service Unavailable", "status": 503, "detail": "starting"}, {"Retry-After": "1"})
WHOAMI = json_reply(200, {"name": "ann", "role": "user", "team": "new field"})


class RetryTests(unittest.TestCase):
    def test_a_get_answered_503_with_retry_after_is_retried_after_that_many_seconds(self) -> None:
        with StubServer(scripted(UNAVAILABLE, WHOAMI)) as stub:
            started = time.monotonic()
            user = gantry.Client(url=stub.url, token="t").whoami()
            elapsed = time.monotonic() - started
        self.assertEqual(user.name, "ann")
        self.assertEqual(user.extra, {"team": "new field"})  # unknown fields are kept
        self.assertEqual(len(stub.requests), 2)
        self.assertGreaterEqual(elapsed, 0.9)
        self.assertEqual(stub.requests[0][2]["authorization"], "Bearer t")

    def test_retry_after_as_an_http_date_and_backoff_without_it(self) -> None:
        later = email.utils.formatdate(time.time() + 2, usegmt=True)
        dated = json_reply(503, {"status": 503}, {"Retry-After": later})
        bare = json_reply(502, {"status": 502})
        sleeps = []
        with StubServer(scripted(dated, bare, WHOAMI)) as stub:
            transport = Transport(stub.url, "t", retry=RetryPolicy(retries=3, backoff=0.25), sleep=sleeps.append)
            self.assertEqual(transport.request("GET", "/api/v1/whoami").json()["name"], "ann")
        self.assertEqual(len(sleeps), 2)
        self.assertTrue(0.5 <= sleeps[0] <= 2.0, sleeps)  # the date, to the second
        self.assertTrue(0.25 <= sleeps[1] <= 0.5, sleeps)  # second attempt: backoff * 2**1, jittered down to half

    def test_a_gateway_that_stays_unavailable_raises_server_unavailable_after_the_retries(self) -> None:
        sleeps = []
        with StubServer(scripted(UNAVAILABLE)) as stub:
            transport = Transport(stub.url, "t", retry=RetryPolicy(retries=2), sleep=sleeps.append)
            with self.assertRaises(gantry.ServerUnavailable) as caught:
                transport.request("GET", "/api/v1/jobs")
        self.assertEqual(len(stub.requests), 3)
        self.assertEqual(sleeps, [1.0, 1.0])
        self.assertEqual(caught.exception.status, 503)
        self.assertIn("starting", str(caught.exception))

    def test_a_post_without_an_idempotency_key_is_never_retried(self) -> None:
        with StubServer(scripted(UNAVAILABLE, WHOAMI)) as stub:
            transport = Transport(stub.url, "t", sleep=lambda s: None)
            with self.assertRaises(gantry.ServerUnavailable):
                transport.request("POST", "/api/v1/jobs/x/cancel", json_body={})
        self.assertEqual(len(stub.requests), 1)

    def test_a_dropped_connection_is_retried_for_a_get(self) -> None:
        with StubServer(scripted(lambda s, r, b: None, WHOAMI)) as stub:
            user = gantry.Client(url=stub.url, token="t", backoff=0.01).whoami()
        self.assertEqual(user.name, "ann")
        self.assertEqual(len(stub.requests), 2)

    def test_a_gateway_that_is_not_listening_is_a_connection_error_naming_the_url(self) -> None:
        url = f"http://127.0.0.1:{free_port()}"
        client = gantry.Client(url=url, token="t", retries=1, backoff=0.01)
        with self.assertRaises(gantry.GantryConnectionError) as caught:
            client.job("abc")
        self.assertIn(url, str(caught.exception))
        self.assertIn("GANTRY_URL", str(caught.exception))
        self.assertIsInstance(caught.exception, ConnectionError)

    def test_a_4xx_is_not_retried(self) -> None:
        with StubServer(scripted(json_reply(404, {"status": 404, "detail": "Job 'x' was not found."}))) as stub:
            with self.assertRaises(gantry.NotFound):
                gantry.Client(url=stub.url, token="t").job("x")
        self.assertEqual(len(stub.requests), 1)


class IdempotentSubmitTests(unittest.TestCase):
    def test_a_submission_whose_answer_was_lost_is_retried_and_creates_one_job(self) -> None:
        gateway = shared_gateway()
        dropped = []

        def lose_first_answer(stub, request, body):
            reply = forward(gateway.url, request, body)
            if request.command == "POST" and not dropped:
                dropped.append(reply)
                return None  # the gateway created the job; the client never hears of it
            return reply

        name = "once-" + uuid.uuid4().hex[:8]
        with StubServer(lose_first_answer) as stub:
            client = gantry.Client(url=stub.url, token=gateway.admin_token, backoff=0.01)
            job = client.submit_command("true", name=name)
        posts = [r for r in stub.requests if r[0] == "POST"]
        self.assertEqual(len(posts), 2)
        self.assertEqual(posts[0][2]["idempotency-key"], posts[1][2]["idempotency-key"])
        self.assertEqual(dropped[0][0], 201)
        direct = gateway.client()
        self.assertEqual([j.id for j in direct.jobs() if j.name == name], [job.id])
        direct.job(job.id).wait(timeout=60, progress=False)


if __name__ == "__main__":
    unittest.main()
