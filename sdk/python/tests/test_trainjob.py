"""TrainJobs from the SDK against the real gateway, on the local cluster's built-in runtimes."""

from __future__ import annotations

import unittest

from support import shared_gateway

from gantry import trainer
from gantry.errors import ValidationError


def setUpModule() -> None:
    global client
    client = shared_gateway().client()


def report_rank(greeting: str) -> None:
    import os

    print(greeting, os.environ["JAX_PROCESS_ID"], "of", os.environ["JAX_NUM_PROCESSES"], flush=True)


class TrainJobManifestTests(unittest.TestCase):
    def test_train_job_builds_the_trainer_block_with_the_sdks_resource_names_as_requests_and_limits(self) -> None:
        manifest = trainer.train_job(runtime="torch-distributed", image="pytorch:2", command=["torchrun", "train.py"],
                                     num_nodes=2, resources_per_node={"cpu": 2, "memory": "4Gi", "gpu": 1}, env={"A": 1})
        self.assertEqual(manifest["kind"], "TrainJob")
        self.assertEqual(manifest["spec"]["runtimeRef"], {"name": "torch-distributed", "kind": "ClusterTrainingRuntime"})
        node = manifest["spec"]["trainer"]
        self.assertEqual(node["numNodes"], 2)
        amounts = {"cpu": "2", "memory": "4Gi", "nvidia.com/gpu": "1"}
        self.assertEqual(node["resourcesPerNode"], {"requests": amounts, "limits": amounts})
        self.assertEqual(node["env"], [{"name": "A", "value": "1"}])

    def test_a_function_is_shipped_as_its_source_run_by_the_launcher(self) -> None:
        command = trainer.function_command(report_rank, {"greeting": "hi"}, launcher="torchrun")
        self.assertEqual(command[:2], ("bash", "-c"))
        self.assertIn("def report_rank(greeting: str)", command[2])
        self.assertIn('exec torchrun "$f"', command[2])


class TrainJobGatewayTests(unittest.TestCase):
    def test_runtimes_lists_the_local_clusters_built_in_runtimes(self) -> None:
        names = {(r.cluster, r.name) for r in client.runtimes("local")}
        self.assertIn(("local", "torch-distributed"), names)
        self.assertIn(("local", "jax-distributed"), names)
        self.assertTrue(all(r.cluster for r in client.runtimes()))

    def test_submit_trainjob_runs_each_node_with_its_rank(self) -> None:
        job = client.submit_trainjob(runtime="jax-distributed", command=["sh", "-c", "echo process $JAX_PROCESS_ID of $JAX_NUM_PROCESSES"],
                                     num_nodes=2, resources_per_node={"cpu": "100m", "memory": "64Mi"})
        done = job.wait(timeout=120)
        self.assertEqual(done.state, "Succeeded", done.message)
        self.assertIn("process 1 of 2", "".join(job.logs(replica="node-0-1")))

    def test_train_runs_a_python_function_on_every_node(self) -> None:
        job = client.train(report_rank, func_args={"greeting": "hello from"}, runtime="jax-distributed", num_nodes=2,
                           resources_per_node={"cpu": "100m", "memory": "64Mi"})
        done = job.wait(timeout=120)
        self.assertEqual(done.state, "Succeeded", done.message)
        self.assertIn("hello from 0 of 2", "".join(job.logs()))
        self.assertIn("hello from 1 of 2", "".join(job.logs(replica="node-0-1")))

    def test_a_runtime_no_cluster_has_is_refused_naming_the_field(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            client.submit_trainjob(runtime="deepspeed-distributed", command=["true"])
        self.assertIn("manifest.spec.runtimeRef.name", refused.exception.fields)
