"""Search spaces and the Experiment that ``tune`` builds, without a gateway: the shapes Katib's
rules check, and the trial program run for real (with the values a gateway would assign)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unittest

from support import SDK_PATH

from gantry import search, tuning
from gantry.experiments import Experiment, Trial


def quadratic(params):
    import gantry

    gantry.report_metrics({"loss": (params["x"] - 1) ** 2 + params["layers"]})


def echo_types(params):
    print({k: [type(v).__name__, v] for k, v in sorted(params.items())})


def returns_value(params):
    return params["x"] * 2


class SearchSpecTests(unittest.TestCase):
    def test_double_with_log_is_a_log_uniform_katib_spec_with_numbers_as_strings(self) -> None:
        self.assertEqual(search.double(1e-4, 1e-1, log=True),
                         {"parameterType": "double", "feasibleSpace": {"min": "0.0001", "max": "0.1", "distribution": "logUniform"}})
        self.assertEqual(search.double(0, 1, step=0.25)["feasibleSpace"], {"min": "0", "max": "1", "step": "0.25"})
        self.assertEqual(search.double(1e-7, 1.5)["feasibleSpace"], {"min": "1e-07", "max": "1.5"})

    def test_int_is_whole_numbers_written_without_decimals(self) -> None:
        self.assertEqual(search.int(1, 4), {"parameterType": "int", "feasibleSpace": {"min": "1", "max": "4"}})
        self.assertEqual(search.int(2.0, 64, log=True, step=2)["feasibleSpace"],
                         {"min": "2", "max": "64", "step": "2", "distribution": "logUniform"})

    def test_lists_are_written_as_strings_and_remember_the_values_given(self) -> None:
        choice = search.categorical(["sgd", "adam", True])
        self.assertEqual(choice, {"parameterType": "categorical", "feasibleSpace": {"list": ["sgd", "adam", "True"]}})
        self.assertIs(choice.typed("True"), True)
        sizes = search.discrete([16, 32, 0.5])
        self.assertEqual(sizes["feasibleSpace"]["list"], ["16", "32", "0.5"])
        self.assertEqual((sizes.typed("32"), sizes.typed("0.5")), (32, 0.5))
        self.assertEqual(search.int(1, 9).typed("7"), 7)
        self.assertEqual(search.double(0, 1).typed("0.25"), 0.25)

    def test_what_katib_would_refuse_is_refused_here_first(self) -> None:
        for bad in (lambda: search.double(1, 0), lambda: search.double(0, 1, log=True), lambda: search.double(0, 1, step=0),
                    lambda: search.int(1.5, 3), lambda: search.categorical([]), lambda: search.categorical(["a", "a"]),
                    lambda: search.categorical("abc")):
            with self.assertRaises((ValueError, TypeError)):
                bad()
        with self.assertRaises(TypeError):
            search.discrete([1, "two"])


class TuneManifestTests(unittest.TestCase):
    def build(self, **kwargs):
        arguments = dict(objective=quadratic, parameters={"x": search.double(-2, 3), "layers": search.int(1, 4), "seed": 7})
        arguments.update(kwargs)
        return tuning.experiment(**arguments)

    def test_a_function_objective_makes_a_command_trial_with_pushed_metrics(self) -> None:
        manifest = self.build(name="quad", goal="minimize", goal_value=0.01, algorithm="tpe",
                              algorithm_settings={"n_startup_trials": 5, "gamma": 0.2}, max_trials=20, parallel_trials=2,
                              max_failed_trials=3, additional_metrics=["accuracy"], resources={"cpu": "500m", "memory": "256Mi"})
        self.assertEqual((manifest["apiVersion"], manifest["kind"], manifest["metadata"]),
                         ("kubeflow.org/v1beta1", "Experiment", {"name": "quad"}))
        spec = manifest["spec"]
        self.assertEqual(spec["objective"], {"type": "minimize", "objectiveMetricName": "loss", "goal": 0.01,
                                             "additionalMetricNames": ["accuracy"]})
        self.assertEqual(spec["algorithm"], {"algorithmName": "tpe", "algorithmSettings": [
            {"name": "n_startup_trials", "value": "5"}, {"name": "gamma", "value": "0.2"}]})
        self.assertEqual((spec["maxTrialCount"], spec["parallelTrialCount"], spec["maxFailedTrialCount"]), (20, 2, 3))
        self.assertEqual(spec["parameters"], [
            {"name": "x", "parameterType": "double", "feasibleSpace": {"min": "-2", "max": "3"}},
            {"name": "layers", "parameterType": "int", "feasibleSpace": {"min": "1", "max": "4"}},
        ])
        self.assertEqual(spec["metricsCollectorSpec"], {"collector": {"kind": "Push"}})
        self.assertNotIn("earlyStopping", spec)
        template = spec["trialTemplate"]
        self.assertEqual(template["primaryContainerName"], "main")
        self.assertEqual(template["trialParameters"], [{"name": "x", "reference": "x"}, {"name": "layers", "reference": "layers"}])
        trial = template["trialSpec"]
        self.assertEqual(trial["kind"], "Command")
        self.assertNotIn("metadata", trial)
        self.assertEqual(trial["spec"]["command"][:3], ["python3", "-u", "-c"])
        self.assertIn("def quadratic(params):", trial["spec"]["command"][3])
        self.assertEqual(trial["spec"]["env"], {"GANTRY_PARAM_X": "${trialParameters.x}", "GANTRY_PARAM_LAYERS": "${trialParameters.layers}"})
        self.assertEqual(trial["spec"]["resources"], {"cpu": "500m", "memory": "256Mi"})
        json.dumps(manifest)  # plain JSON, nothing of the SDK's own types left

    def test_every_placeholder_has_its_trial_parameter_and_every_trial_parameter_is_used(self) -> None:
        # Katib's rule (docs/experiments.md): both ways, or the gateway refuses the experiment.
        manifest = self.build(parameters={"lr-rate": search.double(1e-3, 1, log=True), "LR_rate": search.int(1, 2), "opt": search.categorical(["a", "b"])})
        template = manifest["spec"]["trialTemplate"]
        text = json.dumps(template["trialSpec"])
        names = [p["name"] for p in template["trialParameters"]]
        self.assertEqual(names, ["lr-rate", "LR_rate", "opt"])
        for name in names:
            self.assertIn("${trialParameters.%s}" % name, text)
        self.assertEqual(text.count("${trialParameters."), 3)
        self.assertEqual(sorted(template["trialSpec"]["spec"]["env"]), ["GANTRY_PARAM_LR_RATE", "GANTRY_PARAM_LR_RATE_1", "GANTRY_PARAM_OPT"])

    def test_early_stopping_by_name_by_settings_or_as_katib_writes_it(self) -> None:
        self.assertEqual(self.build(early_stopping="medianstop")["spec"]["earlyStopping"], {"algorithmName": "medianstop"})
        self.assertEqual(self.build(early_stopping={"algorithm": "medianstop", "min_trials_required": 2, "start_step": 3})["spec"]["earlyStopping"],
                         {"algorithmName": "medianstop", "algorithmSettings": [{"name": "min_trials_required", "value": "2"},
                                                                               {"name": "start_step", "value": "3"}]})
        katib = {"algorithmName": "medianstop", "algorithmSettings": [{"name": "start_step", "value": "5"}]}
        self.assertEqual(self.build(early_stopping=katib)["spec"]["earlyStopping"], katib)

    def test_an_image_makes_the_batch_job_katibs_tune_makes(self) -> None:
        manifest = self.build(image="python:3.12", resources={"cpu": 1, "memory": "1Gi", "gpu": 1})
        template = manifest["spec"]["trialTemplate"]
        self.assertEqual(template["primaryContainerName"], "training-container")
        job = template["trialSpec"]
        self.assertEqual((job["apiVersion"], job["kind"]), ("batch/v1", "Job"))
        pod = job["spec"]["template"]["spec"]
        self.assertEqual(pod["restartPolicy"], "Never")
        container = pod["containers"][0]
        self.assertEqual((container["name"], container["image"]), ("training-container", "python:3.12"))
        self.assertIn({"name": "GANTRY_PARAM_X", "value": "${trialParameters.x}"}, container["env"])
        self.assertEqual(container["resources"]["limits"], {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"})

    def test_a_trial_template_is_used_as_written_with_constants_filled_in(self) -> None:
        job = {"kind": "Command", "spec": {"command": ["sh", "-c", "echo loss=${trialParameters.x} seed=${trialParameters.seed}"]}}
        manifest = tuning.experiment(trial_template=job, parameters={"x": search.double(0, 1), "unused": search.int(1, 2), "seed": 7})
        template = manifest["spec"]["trialTemplate"]
        self.assertEqual(template["trialParameters"], [{"name": "x", "reference": "x"}])
        self.assertEqual(template["trialSpec"]["spec"]["command"][2], "echo loss=${trialParameters.x} seed=7")
        self.assertEqual(manifest["spec"]["metricsCollectorSpec"], {"collector": {"kind": "StdOut"}})
        self.assertEqual([p["name"] for p in manifest["spec"]["parameters"]], ["x", "unused"])
        pytorch = {"apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob", "spec": {"pytorchReplicaSpecs": {"Master": {
            "template": {"spec": {"containers": [{"name": "pytorch", "image": "i", "args": ["--lr", "${trialParameters.x}"]}]}}}}}}
        self.assertEqual(tuning.experiment(trial_template=pytorch, parameters={"x": search.double(0, 1)},
                                           metrics_collector="Push")["spec"]["trialTemplate"]["primaryContainerName"], "pytorch")

    def test_arguments_katib_would_refuse_fail_before_submitting(self) -> None:
        cases = [
            dict(objective=None),
            dict(trial_template={"kind": "Command", "spec": {"command": ["true"]}}),
            dict(goal="lowest"),
            dict(parallel_trials=5, max_trials=3),
            dict(max_trials=0),
            dict(name="Has_Capitals"),
            dict(name="x" * 41),
            dict(parameters={"seed": 7}),
            dict(objective=lambda p: p),
        ]
        for case in cases:
            with self.subTest(case=sorted(case)), self.assertRaises(ValueError):
                self.build(**case)


class TrialProgramTests(unittest.TestCase):
    """The program a trial runs, run here with the environment its job would get."""

    def run_trial(self, objective, parameters, assigned):
        manifest = tuning.experiment(objective=objective, parameters=parameters)
        spec = manifest["spec"]["trialTemplate"]["trialSpec"]["spec"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("GANTRY_")}
        for name, variable in spec["env"].items():
            placeholder = variable[len("${trialParameters."):-1] if variable.startswith("${trialParameters.") else None
            env[name] = assigned[placeholder] if placeholder is not None else variable
        env["PYTHONPATH"] = str(SDK_PATH)
        return subprocess.run([sys.executable if c == "python3" else c for c in spec["command"]], env=env,
                              capture_output=True, text=True, timeout=60)

    def test_the_function_receives_typed_values_even_with_quotes_in_a_choice(self) -> None:
        parameters = {"x": search.double(0, 1), "n": search.int(1, 8, log=True), "opt": search.categorical(["it's \"odd\"", False]),
                      "bs": search.discrete([16, 0.5]), "note": "constant"}
        done = self.run_trial(echo_types, parameters, {"x": "0.25", "n": "4", "opt": "it's \"odd\"", "bs": "16"})
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.strip(), str({"bs": ["int", 16], "n": ["int", 4], "note": ["str", "constant"],
                                                   "opt": ["str", "it's \"odd\""], "x": ["float", 0.25]}))
        false = self.run_trial(echo_types, parameters, {"x": "1", "n": "1", "opt": "False", "bs": "0.5"})
        self.assertIn("'opt': ['bool', False]", false.stdout)
        self.assertIn("'bs': ['float', 0.5]", false.stdout)

    def test_a_returned_value_is_reported_as_the_objective_which_needs_a_job(self) -> None:
        # Outside a job report_metrics says so: proof the program reported the returned value.
        done = self.run_trial(returns_value, {"x": search.double(0, 1)}, {"x": "0.5"})
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("NotInJobError", done.stderr)


class ExperimentSnapshotTests(unittest.TestCase):
    """Reading the API's JSON (docs/experiments.md's example) without a gateway."""

    EXPERIMENT = {
        "id": "e-1", "name": "random-exp", "owner": "alice", "queue": "default", "priority": 0, "labels": {},
        "state": "Running", "reason": "ExperimentRunning", "message": "Experiment is running",
        "objective": {"type": "maximize", "metricName": "Validation-accuracy", "goal": 0.99, "additionalMetricNames": []},
        "algorithm": "random",
        "parameters": [{"name": "lr", "type": "double", "min": "0.01", "max": "0.03", "step": None, "list": None, "distribution": "uniform"},
                       {"name": "layers", "type": "int", "min": "1", "max": "4"},
                       {"name": "opt", "type": "categorical", "list": ["sgd", "adam"]}],
        "parallelTrialCount": 3, "maxTrialCount": 12, "maxFailedTrialCount": 3, "earlyStopping": None,
        "trials": {"total": 5, "created": 1, "running": 2, "succeeded": 2, "failed": 0, "killed": 0, "earlyStopped": 0, "metricsUnavailable": 0},
        "currentOptimalTrial": {"bestTrialName": "random-exp-x7k2p9qa",
                                "parameterAssignments": [{"name": "lr", "value": "0.0213"}, {"name": "layers", "value": "3"},
                                                         {"name": "opt", "value": "adam"}],
                                "observation": {"metrics": [{"name": "Validation-accuracy", "min": "0.91", "max": "0.95", "latest": "0.93"}]}},
        "createdAt": "2026-12-03T08:00:00.1234567Z", "startedAt": None, "finishedAt": None,
    }

    def test_best_is_the_optimal_trial_with_typed_parameters_and_the_strategys_value(self) -> None:
        experiment = Experiment(None, self.EXPERIMENT)  # type: ignore[arg-type]
        best = experiment.best
        self.assertEqual(best.name, "random-exp-x7k2p9qa")
        self.assertEqual(best.parameters, {"lr": 0.0213, "layers": 3, "opt": "adam"})
        self.assertEqual(best.objective, 0.95)  # maximize: max by default
        self.assertEqual(best["parameters"]["layers"], 3)
        self.assertFalse(experiment.done)
        self.assertIn("2/12 trials done, 2 running, best Validation-accuracy=0.95", str(experiment))
        with_latest = dict(self.EXPERIMENT, manifest={"spec": {"objective": {"metricStrategies": [
            {"name": "Validation-accuracy", "value": "latest"}]}}})
        self.assertEqual(Experiment(None, with_latest).best.objective, 0.93)  # type: ignore[arg-type]
        self.assertIsNone(Experiment(None, dict(self.EXPERIMENT, currentOptimalTrial=None)).best)  # type: ignore[arg-type]

    def test_rows_are_plain_dicts_with_each_parameter(self) -> None:
        experiment = Experiment(None, self.EXPERIMENT)  # type: ignore[arg-type]
        trial = Trial.from_json({"name": "t1", "index": 0, "jobId": "j1", "state": "Succeeded",
                                 "parameterAssignments": [{"name": "lr", "value": "0.02"}, {"name": "layers", "value": "2"},
                                                          {"name": "opt", "value": "sgd"}],
                                 "objective": 0.9, "metrics": [{"name": "Validation-accuracy", "min": "0.8", "max": "0.9", "latest": "0.9"}],
                                 "createdAt": "2026-12-03T08:00:00Z", "finishedAt": None, "message": ""}, experiment.parameters)
        pending = Trial.from_json({"name": "t2", "index": 1, "jobId": None, "state": "Created",
                                   "parameterAssignments": [{"name": "lr", "value": "0.01"}], "objective": None}, experiment.parameters)
        self.assertEqual(experiment.to_rows([trial, pending]), [
            {"trial": "t1", "state": "Succeeded", "lr": 0.02, "layers": 2, "opt": "sgd", "objective": 0.9, "job_id": "j1"},
            {"trial": "t2", "state": "Created", "lr": 0.01, "layers": None, "opt": None, "objective": None, "job_id": None},
        ])
        self.assertTrue(trial.done)
        self.assertFalse(pending.done)
        self.assertIn("gantry-experiment", experiment._repr_html_())


if __name__ == "__main__":
    unittest.main()
