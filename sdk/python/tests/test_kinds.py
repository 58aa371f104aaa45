"""SparkApplication, PyTorchJob and JAXJob built from arguments, against the real gateway. Its
local backend runs training jobs; with no Spark installation and no cluster running the Spark
operator, a SparkApplication is refused at submission (422 naming manifest.kind)."""

from __future__ import annotations

import json
import os
import tempfile
import time
import unittest
from unittest import mock

from support import shared_gateway

from gantry import manifests
from gantry.errors import ValidationError


def setUpModule() -> None:
    global client
    client = shared_gateway().client()


class SparkTests(unittest.TestCase):
    def test_spark_application_builds_the_operators_manifest_from_arguments(self) -> None:
        manifest = manifests.spark_application(
            main_file="local:///opt/app/etl.py", image="spark-py:3.5.3", arguments=["--date", "2025-01-01"],
            driver_cores=1, driver_memory="2g", executor_cores=2, executor_memory="4g", executor_instances=4,
            spark_conf={"spark.executor.memoryOverhead": "1g"}, deps={"pyFiles": ["local:///opt/app/lib.zip"]},
        )
        spec = manifest["spec"]
        self.assertEqual(manifest["apiVersion"], "sparkoperator.k8s.io/v1beta2")
        self.assertEqual(manifest["kind"], "SparkApplication")
        self.assertEqual(spec["type"], "Python")
        self.assertEqual(spec["mainApplicationFile"], "local:///opt/app/etl.py")
        self.assertEqual(spec["executor"], {"instances": 4, "cores": 2, "memory": "4g"})
        self.assertEqual(spec["deps"], {"pyFiles": ["local:///opt/app/lib.zip"]})

    def test_a_java_application_names_its_class(self) -> None:
        manifest = manifests.spark_application(main_file="local:///opt/spark/examples/jars/spark-examples.jar",
                                               main_class="org.apache.spark.examples.SparkPi", arguments=[100])
        self.assertEqual(manifest["spec"]["type"], "Scala")
        self.assertEqual(manifest["spec"]["mainClass"], "org.apache.spark.examples.SparkPi")
        self.assertEqual(manifest["spec"]["arguments"], ["100"])

    def test_submit_spark_with_nothing_to_run_it_is_refused_naming_the_kind_and_the_fix(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            client.submit_spark(main_file="local:///opt/app/etl.py", image="spark-py:3.5.3", executor_instances=2)
        self.assertEqual(refused.exception.status, 422)
        self.assertIn("manifest.kind", refused.exception.fields)
        self.assertIn("SPARK_HOME", str(refused.exception))

    def test_submit_spark_needs_a_main_file_or_a_manifest(self) -> None:
        with self.assertRaises(ValueError):
            client.submit_spark(main_class="x.Y")


class TrainingJobTests(unittest.TestCase):
    def test_submit_pytorch_with_a_local_script_runs_it_with_python3_in_every_pod(self) -> None:
        job = client.submit_pytorch(script="train.py", args=["--epochs", 3], workers=3, cpu="2", memory="4Gi", gpu=1)
        stored = client.job(job.id)
        replicas = stored.manifest["spec"]["pytorchReplicaSpecs"]
        self.assertEqual(stored.manifest["apiVersion"], "kubeflow.org/v1")
        self.assertEqual(replicas["Master"]["replicas"], 1)
        self.assertEqual(replicas["Worker"]["replicas"], 2)
        container = replicas["Worker"]["template"]["spec"]["containers"][0]
        self.assertEqual(container["name"], "pytorch")
        self.assertEqual(container["image"], manifests.DEFAULT_SCRIPT_IMAGE)
        self.assertEqual(container["command"], ["python3", "train.py"])
        self.assertEqual(container["args"], ["--epochs", "3"])
        self.assertEqual(stored.demand.total.gpu, 3)
        # Three pods of 2 CPU (the operator's init-pytorch container, 50m, never dominates a pod's request).
        self.assertEqual(stored.demand.total.cpu_millicores, 6000)
        self.assertEqual({p.role: p.count for p in stored.demand.pods}, {"master": 1, "worker": 2})
        # train.py is a path inside the image: local cannot run it, and the job waits saying so.
        self.assertIn("local:", _message_once_explained(job.id))
        job.cancel()

    def test_a_single_pytorch_pod_is_just_the_master(self) -> None:
        manifest = manifests.pytorch_job(image="registry.example.com/train:1.4", command=["torchrun", "train.py"])
        self.assertEqual(list(manifest["spec"]["pytorchReplicaSpecs"]), ["Master"])

    def test_submit_jax_builds_workers_with_a_jax_container(self) -> None:
        job = client.submit_jax(image="registry.example.com/jax:0.4", command=["python3", "train.py"], workers=2,
                                cpu=1, memory="1Gi")
        stored = client.job(job.id)
        worker = stored.manifest["spec"]["jaxReplicaSpecs"]["Worker"]
        self.assertEqual(worker["replicas"], 2)
        self.assertEqual(worker["restartPolicy"], "Never")
        self.assertEqual(worker["template"]["spec"]["containers"][0]["name"], "jax")
        self.assertEqual(stored.demand.total.cpu_millicores, 2000)
        self.assertEqual(stored.demand.total.memory, "2Gi")
        # train.py does not exist on this machine, so local may not take it (it would crash-loop there).
        message = _message_once_explained(job.id)
        self.assertIn("local:", message)
        self.assertIn("train.py", message)
        job.cancel()

    def test_a_training_job_needs_an_image_or_a_script(self) -> None:
        with self.assertRaises(ValueError):
            client.submit_jax(workers=2)
        with self.assertRaises(ValueError):
            client.submit_pytorch(script="a.py", command=["python3", "b.py"])


class BatchJobTests(unittest.TestCase):
    def test_batch_job_builds_a_kubernetes_job_of_parallel_pods(self) -> None:
        manifest = manifests.batch_job(image="registry.example.com/train:1.0", command=["python3", "train.py"],
                                       parallelism=3, indexed=True, backoff_limit=2, cpu="500m", memory="1Gi")
        spec = manifest["spec"]
        self.assertEqual((manifest["apiVersion"], manifest["kind"]), ("batch/v1", "Job"))
        self.assertEqual((spec["parallelism"], spec["completions"], spec["completionMode"], spec["backoffLimit"]), (3, 3, "Indexed", 2))
        self.assertEqual(spec["template"]["spec"]["restartPolicy"], "Never")
        self.assertEqual(spec["template"]["spec"]["containers"][0]["command"], ["python3", "train.py"])

    def test_submit_batch_job_runs_locally_with_each_pods_index(self) -> None:
        job = client.submit_batch_job(image="ignored:1", command=["sh", "-c", "echo index=$JOB_COMPLETION_INDEX"],
                                      parallelism=2, indexed=True, cpu="100m", memory="64Mi")
        stored = client.job(job.id)
        self.assertEqual(stored.demand.total.cpu_millicores, 200)
        self.assertEqual({p.role: p.count for p in stored.demand.pods}, {"pod": 2})
        deadline = time.monotonic() + 60
        while client.job(job.id).state not in ("Succeeded", "Failed", "Cancelled") and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(client.job(job.id).state, "Succeeded", client.job(job.id).message)

    def test_a_job_refuses_restart_policy_always(self) -> None:
        with self.assertRaises(ValueError):
            manifests.batch_job(image="x", restart_policy="Always")


def _message_once_explained(job_id: str) -> str:
    """The job's message once the scheduler has said why it waits (a round runs every half second)."""
    deadline = time.monotonic() + 60
    message = client.job(job_id).message
    while "local:" not in message and time.monotonic() < deadline:
        time.sleep(0.2)
        message = client.job(job_id).message
    return message


class ManifestSourceTests(unittest.TestCase):
    COMMAND = {"kind": "Command", "metadata": {"name": "from-text"}, "spec": {"command": ["true"]}}
    YAML = "kind: Command\nmetadata:\n  name: from-yaml\n  annotations:\n    gantry.io/queue: default\nspec:\n  command: [\"true\"]\n"

    def test_a_manifest_as_json_text(self) -> None:
        job = client.submit(json.dumps(self.COMMAND))
        self.assertEqual(job.name, "from-text")

    def test_a_manifest_file_in_json_and_in_yaml(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            json_path = os.path.join(tmp, "job.json")
            with open(json_path, "w") as f:
                json.dump(self.COMMAND, f)
            yaml_path = os.path.join(tmp, "job.yaml")
            with open(yaml_path, "w") as f:
                f.write(self.YAML)
            self.assertEqual(client.submit(json_path, labels={"src": "file"}).labels, {"src": "file"})
            self.assertEqual(client.submit(yaml_path).name, "from-yaml")

    def test_yaml_without_pyyaml_is_sent_raw_and_read_by_the_gateway(self) -> None:
        with mock.patch.dict("sys.modules", {"yaml": None}):
            loaded = manifests.load_manifest(self.YAML)
            self.assertIsInstance(loaded, manifests.RawYaml)
            job = client.submit(self.YAML)
            self.assertEqual(job.name, "from-yaml")
            with self.assertRaises(ValueError) as caught:
                client.submit(self.YAML, queue="default")
            self.assertIn("PyYAML", str(caught.exception))

    def test_a_missing_manifest_file_says_so(self) -> None:
        with self.assertRaises(FileNotFoundError):
            client.submit("no/such/job.yaml")

    def test_a_dict_manifest_is_not_changed_by_submitting_it(self) -> None:
        manifest = {"kind": "Command", "spec": {"command": ["true"]}}
        client.submit(manifest, name="copy")
        self.assertEqual(manifest, {"kind": "Command", "spec": {"command": ["true"]}})

    @classmethod
    def tearDownClass(cls) -> None:
        for job in client.jobs(state=["Queued", "Dispatching", "Running"]):
            job.wait(timeout=60, progress=False)


if __name__ == "__main__":
    unittest.main()
