"""Submitting and following Command jobs on a real gateway."""

from __future__ import annotations

import io
import time
import unittest
import uuid

from support import shared_gateway

import gantry


def setUpModule() -> None:
    global gateway, client
    gateway = shared_gateway()
    client = gateway.client()


class SubmitAndWaitTests(unittest.TestCase):
    def test_submit_command_then_wait_without_progress_ends_succeeded(self) -> None:
        job = client.submit_command(["sh", "-c", "echo hello; exit 0"], name="plain", labels={"suite": "sdk"})
        self.assertEqual(job.state, "Queued")
        self.assertEqual(job.kind, "Command")
        self.assertEqual(job.labels, {"suite": "sdk"})
        self.assertEqual(job.manifest["spec"]["command"], ["sh", "-c", "echo hello; exit 0"])

        out = io.StringIO()
        self.assertIs(job.wait(timeout=60, progress=False, output=out), job)

        self.assertEqual(job.state, "Succeeded")
        self.assertTrue(job.done and job.succeeded)
        self.assertEqual(job.cluster, "local")
        self.assertEqual(job.message, "exit code 0")
        self.assertIsNotNone(job.finished_at)
        self.assertEqual(out.getvalue(), "")

    def test_wait_with_progress_writes_a_line_per_change_to_a_captured_stream(self) -> None:
        job = client.submit_command("sleep 1; echo done", name="progress")
        out = io.StringIO()
        job.wait(timeout=60, output=out)
        lines = out.getvalue().splitlines()
        self.assertGreaterEqual(len(lines), 2, out.getvalue())
        self.assertTrue(all(f"job {job.id} (progress)" in line for line in lines), lines)
        self.assertIn("Running on local", out.getvalue())
        self.assertIn("Succeeded on local", lines[-1])
        self.assertIn("exit code 0", lines[-1])

    def test_wait_reports_a_failing_command_as_failed_with_its_exit_code(self) -> None:
        job = client.submit_command("exit 3").wait(timeout=60, progress=False)
        self.assertEqual(job.state, "Failed")
        self.assertFalse(job.succeeded)
        self.assertIn("3", job.message)

    def test_wait_with_a_timeout_raises_and_leaves_the_job_running(self) -> None:
        job = client.submit_command("sleep 30", cpu="100m", memory="64Mi")
        try:
            started = time.monotonic()
            with self.assertRaises(gantry.WaitTimeout) as caught:
                job.wait(timeout=1.5, progress=False)
            self.assertLess(time.monotonic() - started, 10)
            self.assertIn(job.id, str(caught.exception))
            self.assertFalse(job.refresh().done)
        finally:
            job.cancel()

    def test_refresh_reads_the_stored_manifest_and_demand(self) -> None:
        job = client.submit_command(["true"], cpu="250m", memory="64Mi", env={"A": 1}, queue="default", priority=2)
        fresh = client.job(job.id)
        self.assertEqual(fresh.manifest, {"kind": "Command", "spec": {"command": ["true"], "env": {"A": "1"},
                                                                     "resources": {"cpu": "250m", "memory": "64Mi"}}})
        self.assertEqual(fresh.demand.total.cpu_millicores, 250)
        self.assertEqual(fresh.demand.total.memory, "64Mi")
        self.assertEqual(fresh.info.priority, 2)
        self.assertIsNone(fresh.resource)  # a Command job is no Kubernetes resource
        self.assertEqual(fresh, job)
        job.wait(timeout=60, progress=False)


class JobResourceTests(unittest.TestCase):
    def test_the_resource_field_reads_into_a_typed_value(self) -> None:
        info = gantry.JobInfo.from_json({
            "id": "abcdefghijkm", "state": "Running", "cluster": "east",
            "resource": {"cluster": "east", "namespace": "kubeflow", "name": "g-abcdefghijkm",
                         "kind": "PyTorchJob", "apiVersion": "kubeflow.org/v1"},
        })
        self.assertEqual(info.resource, gantry.JobResource("east", "kubeflow", "g-abcdefghijkm", "PyTorchJob", "kubeflow.org/v1"))
        self.assertNotIn("resource", info.extra)
        self.assertIsNone(gantry.JobInfo.from_json({"id": "abcdefghijkm", "resource": None}).resource)


class LogsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.job = client.submit_command("for i in 1 2 3 4 5; do echo line $i; done").wait(timeout=60, progress=False)

    def test_logs_returns_the_whole_log(self) -> None:
        self.assertEqual(self.job.logs(), "".join(f"line {i}\n" for i in range(1, 6)))

    def test_logs_with_tail_returns_the_last_lines(self) -> None:
        self.assertEqual(self.job.logs(tail=2), "line 4\nline 5\n")

    def test_logs_follow_iterates_lines_as_they_come_until_the_job_ends(self) -> None:
        job = client.submit_command("for i in 1 2 3; do echo tick $i; sleep 0.5; done")
        started = time.monotonic()
        lines = list(job.logs(follow=True))
        self.assertEqual(lines, ["tick 1", "tick 2", "tick 3"])
        self.assertGreater(time.monotonic() - started, 1.0)
        self.assertEqual(job.wait(timeout=60, progress=False).state, "Succeeded")

    def test_logs_of_an_unknown_replica_is_not_found(self) -> None:
        with self.assertRaises(gantry.NotFound) as caught:
            self.job.logs(replica="worker-7")
        self.assertIn("replica", caught.exception.errors)


class CancelEventsExplainTests(unittest.TestCase):
    def test_cancel_ends_a_running_job_as_cancelled(self) -> None:
        job = client.submit_command("sleep 60", cpu="100m", memory="64Mi", name="to-cancel")
        deadline = time.monotonic() + 60
        while job.refresh().state != "Running" and time.monotonic() < deadline:
            time.sleep(0.1)
        job.cancel()
        self.assertIn(job.state, ("Cancelling", "Cancelled"))
        self.assertEqual(job.wait(timeout=60, progress=False).state, "Cancelled")
        self.assertEqual(job.cancel().state, "Cancelled")  # idempotent

    def test_events_list_every_transition_in_order(self) -> None:
        job = client.submit_command("true").wait(timeout=60, progress=False)
        events = job.events()
        self.assertEqual([e.to_state for e in events], ["Queued", "Dispatching", "Running", "Succeeded"])
        self.assertIsNone(events[0].from_state)
        self.assertEqual([e.from_state for e in events[1:]], ["Queued", "Dispatching", "Running"])
        self.assertEqual(events[-1].reason, "exit code 0")
        self.assertTrue(all(a.seq < b.seq for a, b in zip(events, events[1:])))

    def test_explain_of_a_job_waiting_behind_a_cordoned_cluster_says_why(self) -> None:
        admin = client._transport
        # A queue of its own: position 1 cannot count another test's job.
        queue = "explain-" + uuid.uuid4().hex[:8]
        admin.request("POST", "/api/v1/queues", json_body={"name": queue})
        admin.request("POST", "/api/v1/clusters/local/cordon")
        try:
            job = client.submit_command("true", name="behind-cordon", queue=queue)
            # Poll for the scheduler's verdict instead of sleeping a guessed time.
            deadline = time.monotonic() + 60
            explanation = job.explain()
            while not any(c.name == "local" for c in explanation.clusters) and time.monotonic() < deadline:
                time.sleep(0.1)
                explanation = job.explain()
            self.assertEqual(explanation.job_id, job.id)
            self.assertEqual(explanation.state, "Queued")
            self.assertEqual(explanation.queue.name, queue)
            self.assertEqual(explanation.queue.position, 1)
            local = [c for c in explanation.clusters if c.name == "local"]
            self.assertEqual(len(local), 1)
            self.assertFalse(local[0].fits)
            self.assertIn("cordoned", local[0].reason)
            self.assertIn("local", str(explanation))
        finally:
            admin.request("POST", "/api/v1/clusters/local/uncordon")
        self.assertEqual(job.wait(timeout=60, progress=False).state, "Succeeded")


class ListingTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.tag = uuid.uuid4().hex[:10]
        cls.jobs = [client.submit_command("true", labels={"batch": cls.tag}, name=f"page-{i}") for i in range(5)]

    def test_jobs_iterates_every_page_transparently(self) -> None:
        found = list(client.jobs(labels={"batch": self.tag}, page_size=2))
        self.assertEqual([j.id for j in found], [j.id for j in reversed(self.jobs)])  # newest first

    def test_jobs_stops_after_limit(self) -> None:
        found = list(client.jobs(label_selector=f"batch={self.tag}", limit=3, page_size=2))
        self.assertEqual([j.id for j in found], [j.id for j in reversed(self.jobs)][:3])

    def test_jobs_filters_by_state_and_kind(self) -> None:
        for job in self.jobs:
            job.wait(timeout=60, progress=False)
        done = list(client.jobs(labels={"batch": self.tag}, state=["Succeeded", "Failed"], kind="Command"))
        self.assertEqual(len(done), 5)
        self.assertEqual(list(client.jobs(labels={"batch": self.tag}, state="Queued")), [])


class DisplayTests(unittest.TestCase):
    def test_repr_html_is_a_card_with_id_and_state(self) -> None:
        job = client.submit_command("true", name="card <b>").wait(timeout=60, progress=False)
        card = job._repr_html_()
        self.assertIn(f'data-job-id="{job.id}"', card)
        self.assertIn('data-state="Succeeded"', card)
        self.assertIn(">Succeeded<", card)
        self.assertIn("card &lt;b&gt;", card)
        self.assertNotIn("card <b>", card)
        self.assertIn(job.id, repr(job))
        self.assertIn("Succeeded", str(job))


if __name__ == "__main__":
    unittest.main()
