"""Job.wait() when the watch stream breaks or is not available, against loopback stubs; the
Server-Sent Events parser; the rewritten progress line on a terminal."""

from __future__ import annotations

import io
import json
import unittest

from support import StubServer, json_reply

import gantry
from gantry._display import TerminalProgress, progress_for, LineProgress
from gantry._watch import parse_sse


def job_json(state: str, message: str = "", seq: int = 0) -> dict:
    return {
        "id": "abc123", "name": "stubbed", "kind": "Command", "queue": "default", "owner": "ann", "priority": 0,
        "labels": {}, "state": state, "cluster": "local", "message": message, "attempts": 1, "maxAttempts": 1,
        "demand": {"cpu": "1", "memory": "512Mi", "gpu": 0, "cpuMillicores": 1000, "memoryBytes": 536870912, "pods": []},
        "createdAt": "2026-11-24T02:17:31.5968235+00:00", "startedAt": None, "finishedAt": None,
        "updatedAt": "2026-11-24T02:17:31.5968235+00:00", "sparkUiUrl": None, "manifest": None,
        "aFieldFromTheFuture": seq,
    }


def sse(*events: tuple) -> bytes:
    out = ": hello\n\n"
    for seq, state in events:
        data = json.dumps({"event": {"seq": seq, "at": None, "from": None, "to": state, "reason": ""},
                           "job": job_json(state, seq=seq)})
        out += f"id: {seq}\nevent: state\ndata: {data}\n\n"
    return out.encode()


class WaitFallbackTests(unittest.TestCase):
    def test_a_broken_stream_is_resumed_with_last_event_id(self) -> None:
        streams = [sse((4, "Queued"), (5, "Running")), sse((6, "Succeeded"))]

        def handler(stub, request, body):
            if request.path.endswith("/watch"):
                return 200, {"Content-Type": "text/event-stream"}, streams.pop(0)
            return json_reply(200, job_json("Running"))  # the stream ended early: the SDK asks

        with StubServer(handler) as stub:
            job = gantry.Client(url=stub.url, token="t").job("abc123")
            job.wait(timeout=20, progress=False)
        self.assertEqual(job.state, "Succeeded")
        self.assertEqual(job.info.extra, {"aFieldFromTheFuture": 6})
        watches = [r for r in stub.requests if r[1].endswith("/watch")]
        self.assertEqual(len(watches), 2)
        self.assertNotIn("last-event-id", watches[0][2])
        self.assertEqual(watches[1][2]["last-event-id"], "5")

    def test_without_a_working_watch_it_falls_back_to_polling(self) -> None:
        states = ["Queued", "Running", "Running", "Failed"]

        def handler(stub, request, body):
            if request.path.endswith("/watch"):
                return json_reply(500, {"status": 500})
            state = states.pop(0) if len(states) > 1 else states[0]
            return json_reply(200, job_json(state, "exit code 1" if state == "Failed" else ""))

        out = io.StringIO()
        with StubServer(handler) as stub:
            job = gantry.Client(url=stub.url, token="t", retries=0).job("abc123")
            job.wait(timeout=30, progress=True, output=out, poll_interval=0.05)
        self.assertEqual(job.state, "Failed")
        self.assertEqual(len([r for r in stub.requests if r[1].endswith("/watch")]), 3)
        self.assertIn("Failed on local", out.getvalue().splitlines()[-1])

    def test_a_job_that_disappears_while_waiting_raises_not_found(self) -> None:
        calls = []

        def handler(stub, request, body):
            calls.append(request.path)
            if len(calls) == 1:
                return json_reply(200, job_json("Running"))
            return json_reply(404, {"status": 404, "detail": "Job 'abc123' was not found."})

        with StubServer(handler) as stub:
            job = gantry.Client(url=stub.url, token="t").job("abc123")
            with self.assertRaises(gantry.NotFound):
                job.wait(timeout=20, progress=False)


class SseParserTests(unittest.TestCase):
    def test_events_comments_multiline_data_and_ids(self) -> None:
        lines = [": keep-alive", "", "id: 7", "event: state", "data: {\"a\":", "data: 1}", "", "data: tail"]
        events = list(parse_sse(lines))
        self.assertEqual([(e.event, e.data, e.id) for e in events],
                         [("state", '{"a":\n1}', "7"), ("message", "tail", "7")])


class _FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


class ProgressTests(unittest.TestCase):
    def test_a_terminal_gets_one_line_rewritten_in_place(self) -> None:
        tty = _FakeTty()
        progress = progress_for(True, tty)
        self.assertIsInstance(progress, TerminalProgress)
        info = gantry.JobInfo.from_json(job_json("Running", "started as process 42"))
        progress.update(info)
        progress.close(gantry.JobInfo.from_json(job_json("Succeeded", "exit code 0")))
        text = tty.getvalue()
        self.assertTrue(text.startswith("\rjob abc123 (stubbed) Running on local"))
        self.assertEqual(text.count("\n"), 1)
        first, last = text.split("\r")[1:]
        self.assertIn("Succeeded on local", last)
        self.assertGreaterEqual(len(last.rstrip("\n")), len(first))  # padded over the longer line before

    def test_other_streams_get_a_line_per_change(self) -> None:
        out = io.StringIO()
        progress = progress_for(True, out)
        self.assertIsInstance(progress, LineProgress)
        for state in ("Queued", "Queued", "Running", "Running"):
            progress.update(gantry.JobInfo.from_json(job_json(state)))
        self.assertEqual(len(out.getvalue().splitlines()), 2)


if __name__ == "__main__":
    unittest.main()
