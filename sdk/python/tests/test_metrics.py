"""Push-based metrics: from inside a real Command job, and the reporter's behaviour when the
gateway is slow, away, or refuses points (loopback stubs)."""

from __future__ import annotations

import json
import os
import textwrap
import time
import unittest
import warnings
from unittest import mock

from support import SDK_PATH, StubServer, free_port, json_reply, run_python, shared_gateway

import gantry
from gantry import metrics as metrics_module
from gantry.metrics import MetricsReporter


def setUpModule() -> None:
    global gateway, client
    gateway = shared_gateway()
    client = gateway.client()


class RealJobTests(unittest.TestCase):
    def test_report_metrics_from_inside_a_command_job_is_read_back_by_the_owner(self) -> None:
        code = (
            "import os, sys; sys.path.insert(0, os.environ['GANTRY_SDK_PATH']); import gantry; "
            "[gantry.report_metrics({'loss': 1.0/(i+1)}, step=i) for i in range(50)]"
        )
        job = client.submit_command(["python3", "-c", code], env={"GANTRY_SDK_PATH": str(SDK_PATH)}, name="pushes")
        job.wait(timeout=120, progress=False)
        self.assertEqual(job.state, "Succeeded", job.logs())
        points = job.metrics("loss")
        self.assertEqual(len(points), 50)
        self.assertEqual([p.step for p in points], list(range(50)))
        self.assertEqual([p.value for p in points], [1.0 / (i + 1) for i in range(50)])
        self.assertTrue(all(p.name == "loss" and p.timestamp is not None for p in points))
        self.assertEqual(job.metrics("accuracy"), [])
        self.assertEqual(client.metrics(job.id, "loss"), points)

    def test_a_job_reports_several_metrics_and_flushes_them_mid_run(self) -> None:
        code = textwrap.dedent(
            """
            import os, sys
            sys.path.insert(0, os.environ["GANTRY_SDK_PATH"])
            import gantry
            gantry.report_metrics({"loss": 0.5, "accuracy": 0.75}, step=1)
            assert gantry.flush_metrics(timeout=30), "flush timed out"
            print("flushed")
            """
        )
        job = client.submit_command(["python3", "-c", code], env={"GANTRY_SDK_PATH": str(SDK_PATH)})
        job.wait(timeout=120, progress=False)
        self.assertEqual(job.state, "Succeeded", job.logs())
        self.assertIn("flushed", job.logs())
        series = job.metric_series()
        self.assertEqual(sorted(series), ["accuracy", "loss"])
        self.assertEqual(series["accuracy"][0].value, 0.75)

    def test_the_owner_can_push_metrics_for_a_job(self) -> None:
        job = client.submit_command("true")
        accepted = client.push_metrics(job.id, [{"name": "lr", "value": 0.1, "step": 0},
                                                {"name": "lr", "value": 0.05, "step": 1, "timestamp": 1700000000}])
        self.assertEqual(accepted, 2)
        self.assertEqual([p.value for p in job.metrics("lr")], [0.1, 0.05])
        with self.assertRaises(gantry.ValidationError) as caught:
            client.push_metrics(job.id, [{"name": "lr", "value": 1}, {"name": "lr", "value": "high"}])
        self.assertIn("metrics[1].value", caught.exception.fields)
        job.wait(timeout=60, progress=False)


def recording_server(answers=None):
    """A stub that records each pushed batch; ``answers`` (a list) overrides the first replies."""
    batches = []
    pending = list(answers or [])

    def handler(stub, request, body):
        if pending:
            reply = pending.pop(0)
            return reply
        points = json.loads(body)["metrics"]
        batches.append(points)
        return json_reply(200, {"accepted": len(points)})

    return StubServer(handler), batches


class ReporterTests(unittest.TestCase):
    def test_points_are_sent_in_batches_with_the_job_token(self) -> None:
        stub, batches = recording_server()
        with stub:
            reporter = MetricsReporter(url=stub.url, job_id="j1", token="job-token", batch_size=100, flush_interval=5)
            for step in range(250):
                reporter.report({"loss": 1.0 / (step + 1), "acc": step / 250}, step=step)
            self.assertTrue(reporter.flush(timeout=10))
            reporter.close()
        points = [p for b in batches for p in b]
        self.assertEqual(len(points), 500)
        self.assertTrue(all(len(b) <= 100 for b in batches))
        self.assertEqual(stub.requests[0][1], "/api/v1/jobs/j1/metrics")
        self.assertEqual(stub.requests[0][2]["authorization"], "Bearer job-token")
        self.assertEqual([p["step"] for p in points if p["name"] == "loss"], list(range(250)))
        self.assertTrue(points[0]["timestamp"].endswith("Z"))
        self.assertEqual(reporter.sent, 500)

    def test_a_gateway_answering_503_gets_the_same_points_again(self) -> None:
        busy = json_reply(503, {"status": 503})
        stub, batches = recording_server([busy, busy])
        with stub, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reporter = MetricsReporter(url=stub.url, job_id="j1", token="t", flush_interval=0.05)
            reporter.report({"loss": 1.0}, step=0)
            self.assertTrue(reporter.flush(timeout=15))
            reporter.close()
        self.assertEqual([[p["name"] for p in b] for b in batches], [["loss"]])
        self.assertEqual(len([w for w in caught if issubclass(w.category, gantry.MetricsWarning)]), 1)

    def test_refused_points_are_dropped_with_a_warning(self) -> None:
        refused = json_reply(422, {"status": 422, "errors": {"metrics[0].value": ["must be a finite number"]}})
        stub, batches = recording_server([refused])
        with stub, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reporter = MetricsReporter(url=stub.url, job_id="j1", token="t", flush_interval=0.05)
            reporter.report({"loss": 1.0})
            self.assertTrue(reporter.flush(timeout=10))
            reporter.close()
        self.assertEqual(batches, [])
        self.assertEqual(reporter.dropped, 1)
        self.assertIn("refused", str(caught[0].message))

    def test_with_the_gateway_away_the_buffer_is_bounded_and_nothing_raises(self) -> None:
        url = f"http://127.0.0.1:{free_port()}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reporter = MetricsReporter(url=url, job_id="j1", token="t", batch_size=10, max_buffer=100, flush_interval=0.01)
            for step in range(1000):
                reporter.report({"loss": 0.1}, step=step)
            self.assertFalse(reporter.flush(timeout=0.5))
            reporter.close(timeout=0.2)
        self.assertEqual(reporter.sent, 0)
        self.assertEqual(reporter.dropped, 1000)
        messages = [str(w.message) for w in caught]
        self.assertEqual(len([m for m in messages if "dropping the oldest" in m]), 1, messages)
        self.assertEqual(len([m for m in messages if "cannot deliver" in m]), 1, messages)

    def test_values_that_are_not_numbers_or_names_that_the_gateway_refuses_raise_at_once(self) -> None:
        reporter = MetricsReporter(url=f"http://127.0.0.1:{free_port()}", job_id="j", token="t")
        try:
            with self.assertRaises(TypeError):
                reporter.report({"loss": "low"})
            with self.assertRaises(ValueError):
                reporter.report({"9lives": 1.0})
            with self.assertRaises(ValueError):
                reporter.report({"loss": 1.0}, step=-1)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                reporter.report({"loss": float("nan"), "acc": 1.0})  # NaN is skipped, training goes on
            self.assertIn("nan", str(caught[0].message))
        finally:
            reporter.close(timeout=0.1)


class ModuleFunctionTests(unittest.TestCase):
    def test_report_metrics_outside_a_job_raises_a_clear_error(self) -> None:
        with mock.patch.dict(os.environ, {}, clear=True), mock.patch.object(metrics_module, "_reporter", None):
            with self.assertRaises(gantry.NotInJobError) as caught:
                gantry.report_metrics({"loss": 0.3}, step=1)
        self.assertIn("GANTRY_JOB_TOKEN", str(caught.exception))
        self.assertTrue(gantry.flush_metrics(timeout=1))  # nothing reported: nothing to wait for

    def test_a_script_reporting_with_the_gateway_gone_exits_zero_and_warns(self) -> None:
        code = textwrap.dedent(
            """
            import gantry
            for step in range(20000):
                gantry.report_metrics({"loss": 1.0 / (step + 1)}, step=step)
            print("training done")
            """
        )
        started = time.monotonic()
        result = run_python(code, env={
            "GANTRY_URL": f"http://127.0.0.1:{free_port()}", "GANTRY_JOB_ID": "j1", "GANTRY_JOB_TOKEN": "t",
            "GANTRY_METRICS_EXIT_TIMEOUT": "1",
        })
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("training done", result.stdout)
        self.assertIn("cannot deliver metrics", result.stderr)
        self.assertIn("dropping the oldest", result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertLess(time.monotonic() - started, 20)


if __name__ == "__main__":
    unittest.main()
