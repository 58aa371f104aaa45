"""Experiments from the SDK against a real gateway whose local cluster runs each trial as a process:
``tune`` with a function, ``submit_experiment`` with a job template, waiting, the best trial, the
trials, cancel and resume."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from support import REPO_ROOT, SDK_PATH, shared_gateway
from test_notebook import DEBIAN_PYTHON, _jupyter_missing

import gantry
from gantry.errors import ApiError, Conflict, ValidationError

TRIAL_ENV = {"PYTHONPATH": str(SDK_PATH)}
SMALL = {"cpu": "100m", "memory": "64Mi"}


def setUpModule() -> None:
    global gateway, client
    gateway = shared_gateway()
    client = gateway.client()


def bowl(params):
    import gantry

    loss = (params["x"] - 1) ** 2 + params["layers"]
    gantry.report_metrics({"loss": loss, "layers_seen": params["layers"]})


def shell_trial(script: str) -> dict:
    """A Command trial running ``script``, whose ``name=value`` lines the StdOut collector reads."""
    return {"kind": "Command", "spec": {"command": ["sh", "-c", script], "resources": SMALL}}


class TuneTests(unittest.TestCase):
    def test_tune_runs_the_function_in_each_trial_and_keeps_the_best(self) -> None:
        experiment = client.tune(
            bowl, parameters={"x": gantry.search.double(-2, 3), "layers": gantry.search.int(1, 4)},
            objective_metric="loss", goal="minimize", algorithm="random", additional_metrics=["layers_seen"],
            max_trials=4, parallel_trials=2, resources=SMALL, env_per_trial=TRIAL_ENV, labels={"team": "sdk"},
        )
        self.assertIn(experiment.state, ("Created", "Running"))
        progress = io.StringIO()
        experiment.wait(timeout=240, progress=True, output=progress, poll_interval=0.5)

        self.assertEqual((experiment.state, experiment.reason), ("Succeeded", "ExperimentMaxTrialsReached"), experiment.message)
        self.assertIn(f"experiment {experiment.id}", progress.getvalue())
        self.assertIn("4/4 trials done", progress.getvalue().splitlines()[-1])
        trials = experiment.trials()
        self.assertEqual(len(trials), 4)
        for trial in trials:
            self.assertEqual(trial.state, "Succeeded", trial.message)
            self.assertIsInstance(trial.parameters["x"], float)
            self.assertIsInstance(trial.parameters["layers"], int)
            self.assertAlmostEqual(trial.objective, (trial.parameters["x"] - 1) ** 2 + trial.parameters["layers"], places=9)
            self.assertEqual(float(trial.metrics["layers_seen"]["latest"]), trial.parameters["layers"])
            job = trial.job()
            self.assertEqual(job.labels.get("gantry.io/experiment"), experiment.id)
            self.assertEqual(job.labels.get("team"), "sdk")
        best = experiment.best
        winner = min(trials, key=lambda t: t.objective)
        self.assertEqual((best.name, best.parameters), (winner.name, winner.parameters))
        self.assertAlmostEqual(best.objective, winner.objective, places=9)
        rows = experiment.to_rows()
        self.assertEqual([r["trial"] for r in rows], [t.name for t in trials])
        self.assertEqual(set(rows[0]), {"trial", "state", "x", "layers", "objective", "job_id"})
        self.assertIn(experiment.id, [e.id for e in client.experiments(state="Succeeded")])
        # Katib's default resumePolicy is Never: a finished experiment cannot be resumed.
        with self.assertRaises(ApiError) as refused:
            experiment.resume(6)
        self.assertIn(refused.exception.status, (409, 422))

    def test_a_trial_template_with_stdout_metrics_is_resumed_with_a_larger_budget(self) -> None:
        experiment = client.tune(
            trial_template=shell_trial("echo loss=${trialParameters.x}"), parameters={"x": gantry.search.discrete([0.5, 0.25, 0.75])},
            algorithm="grid", max_trials=2, parallel_trials=2, resume_policy="LongRunning",
        )
        experiment.wait(timeout=240, poll_interval=0.5)
        self.assertEqual(experiment.reason, "ExperimentMaxTrialsReached", experiment.message)
        self.assertEqual(experiment.trial_counts["succeeded"], 2)

        experiment.resume(3)
        self.assertEqual(experiment.max_trials, 3)
        experiment.wait(timeout=240, poll_interval=0.5)

        trials = experiment.trials()
        self.assertEqual(experiment.state, "Succeeded", experiment.message)
        self.assertEqual(sorted(t.parameters["x"] for t in trials), [0.25, 0.5, 0.75])  # grid: each point once
        self.assertEqual(experiment.best.parameters, {"x": 0.25})
        self.assertEqual(experiment.best.objective, 0.25)

    def test_the_branin_example_runs_end_to_end(self) -> None:
        # examples/tune_branin.py end to end, with a small budget: it runs and reports a best trial.
        env = {k: v for k, v in os.environ.items() if not k.startswith("GANTRY_")}
        env.update({"GANTRY_URL": gateway.url, "GANTRY_TOKEN": gateway.admin_token, "PYTHONPATH": str(SDK_PATH),
                    "BRANIN_MAX_TRIALS": "6", "BRANIN_PARALLEL_TRIALS": "3"})
        done = subprocess.run([sys.executable, str(REPO_ROOT / "examples" / "tune_branin.py")], env=env,
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        self.assertIn("Succeeded (ExperimentMaxTrialsReached): best loss", done.stdout)
        self.assertEqual(done.stdout.count(" Succeeded "), 6, done.stdout)


def notebook_from_script(script: Path) -> dict:
    """An nbformat 4 notebook from a ``# %%`` script (as Jupytext and VS Code read one): a
    ``# %% [markdown]`` cell's lines lose their leading ``# ``."""
    cells = []
    kind, lines = None, []

    def close() -> None:
        text = "\n".join(lines).strip("\n")
        if kind is not None and text:
            cell = {"cell_type": kind, "metadata": {}, "source": text}
            if kind == "code":
                cell.update(outputs=[], execution_count=None)
            cells.append(cell)

    for line in script.read_text().splitlines():
        if line.startswith("# %%"):
            close()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        elif kind == "markdown":
            lines.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
        else:
            lines.append(line)
    close()
    return {"nbformat": 4, "nbformat_minor": 4, "cells": cells,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}


class TuneNotebookTests(unittest.TestCase):
    def test_the_branin_example_shows_a_live_trials_table_in_a_real_kernel(self) -> None:
        missing = _jupyter_missing()
        if missing:
            self.skipTest(missing)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GANTRY_")}
        env.update(GANTRY_URL=gateway.url, GANTRY_TOKEN=gateway.admin_token, GANTRY_HOME=tempfile.gettempdir() + "/no-gantry-home",
                   PYTHONPATH=str(SDK_PATH), BRANIN_MAX_TRIALS="4", BRANIN_PARALLEL_TRIALS="2")
        with tempfile.TemporaryDirectory() as tmp:
            notebook, executed = Path(tmp) / "branin.ipynb", Path(tmp) / "executed.ipynb"
            notebook.write_text(json.dumps(notebook_from_script(REPO_ROOT / "examples" / "tune_branin.py")))
            result = subprocess.run(
                [DEBIAN_PYTHON, str(Path(__file__).with_name("notebook_runner.py")), str(notebook), str(executed)],
                env=env, cwd=tmp, capture_output=True, text=True, timeout=600,
            )
            self.assertEqual(result.returncode, 0, result.stderr[-4000:])
            cells = json.loads(executed.read_text())["cells"]
        # The wait cell's display was updated in place to the finished experiment with its trials.
        html = [o["data"]["text/html"] for c in cells if c["cell_type"] == "code" for o in c["outputs"]
                if o.get("output_type") in ("display_data", "update_display_data") and "text/html" in o.get("data", {})]
        text = "".join("".join(h) if isinstance(h, list) else h for h in html)
        self.assertIn('class="gantry-experiment"', text)
        self.assertIn('data-state="Succeeded"', text)
        self.assertEqual(text.count("<td style=\"padding:1px 8px\">branin-"), 4, text[-2000:])
        self.assertIn("best loss", json.dumps(cells))


class SubmitExperimentTests(unittest.TestCase):
    MANIFEST = {
        "apiVersion": "kubeflow.org/v1beta1", "kind": "Experiment", "metadata": {"name": "sdk-slow"},
        "spec": {
            "objective": {"type": "maximize", "objectiveMetricName": "accuracy"},
            "algorithm": {"algorithmName": "random"},
            "parallelTrialCount": 2, "maxTrialCount": 5,
            "parameters": [{"name": "x", "parameterType": "double", "feasibleSpace": {"min": "0", "max": "1"}}],
            "trialTemplate": {
                "primaryContainerName": "main",
                "trialParameters": [{"name": "x", "reference": "x"}],
                "trialSpec": shell_trial("sleep 300; echo accuracy=${trialParameters.x}"),
            },
        },
    }

    def test_a_submitted_experiment_is_found_listed_and_cancelled_with_its_trials(self) -> None:
        experiment = client.submit_experiment(self.MANIFEST, queue="default", priority=2)
        found = client.get_experiment(experiment.id)
        self.assertEqual((found.name, found.algorithm, found.objective_metric), ("sdk-slow", "random", "accuracy"))
        self.assertEqual(found.manifest["spec"]["maxTrialCount"], 5)
        self.assertIn(experiment.id, [e.id for e in client.experiments()])
        deadline = time.monotonic() + 120
        while not any(t.job_id for t in experiment.trials()):
            self.assertLess(time.monotonic(), deadline, "no trial got a job within 120s")
            time.sleep(0.2)

        experiment.cancel()

        self.assertEqual((experiment.state, experiment.reason), ("Failed", "ExperimentCancelled"))
        self.assertTrue(experiment.done)
        with self.assertRaises(Conflict):
            experiment.cancel()
        jobs = [t.job() for t in experiment.trials() if t.job_id is not None]
        self.assertGreaterEqual(len(jobs), 1)
        for job in jobs:
            self.assertEqual(job.wait(timeout=60, progress=False).state, "Cancelled")

    def test_what_katib_refuses_is_a_validation_error_naming_the_field(self) -> None:
        backwards = dict(self.MANIFEST, spec=dict(self.MANIFEST["spec"], parameters=[
            {"name": "x", "parameterType": "double", "feasibleSpace": {"min": "5", "max": "1"}}]))
        with self.assertRaises(ValidationError) as refused:
            client.submit_experiment(backwards)
        self.assertTrue(any(f.startswith("manifest.spec.parameters[0].feasibleSpace") for f in refused.exception.fields),
                        refused.exception.fields)
        with self.assertRaises(ApiError) as unsupported:
            client.tune(bowl, parameters={"x": gantry.search.double(0, 1), "layers": 1}, algorithm="hyperband")
        self.assertEqual(unsupported.exception.status, 422)


if __name__ == "__main__":
    unittest.main()
