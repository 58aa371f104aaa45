"""Kubeflow Trainer v2 TrainJobs: manifests built from arguments, and a Python function shipped as
the trainer's command, the way the Trainer SDK's ``TrainerClient.train`` does with a CustomTrainer."""

from __future__ import annotations

import inspect
import json
import shlex
import textwrap
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple

DEFAULT_RUNTIME = "torch-distributed"

# The Trainer SDK's short names for resources (resources_per_node), as it expands them.
_RESOURCE_NAMES = {"gpu": "nvidia.com/gpu", "storage": "ephemeral-storage"}


def resources(per_node: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """``{"cpu": 2, "memory": "4Gi", "gpu": 1}`` as requests and limits, as the Trainer SDK sets both."""
    if not per_node:
        return None
    amounts = {_RESOURCE_NAMES.get(str(k), str(k)): str(v) for k, v in per_node.items()}
    return {"requests": dict(amounts), "limits": dict(amounts)}


def train_job(
    *,
    runtime: str = DEFAULT_RUNTIME,
    runtime_kind: str = "ClusterTrainingRuntime",
    image: Optional[str] = None,
    command: Optional[Sequence[str]] = None,
    args: Sequence[Any] = (),
    num_nodes: Optional[int] = None,
    num_proc_per_node: Optional[int] = None,
    resources_per_node: Optional[Mapping[str, Any]] = None,
    env: Optional[Mapping[str, Any]] = None,
    name: Optional[str] = None,
    namespace: Optional[str] = None,
) -> Dict[str, Any]:
    """A TrainJob naming ``runtime``; what is not given comes from the runtime on the cluster that runs it."""
    if num_nodes is not None and num_nodes < 1:
        raise ValueError("num_nodes must be at least 1")
    trainer: Dict[str, Any] = {}
    if image:
        trainer["image"] = image
    if command:
        trainer["command"] = [str(c) for c in (shlex.split(command) if isinstance(command, str) else command)]
    if args:
        trainer["args"] = [str(a) for a in args]
    if num_nodes is not None:
        trainer["numNodes"] = int(num_nodes)
    if num_proc_per_node is not None:
        trainer["numProcPerNode"] = int(num_proc_per_node)
    if resources_per_node:
        trainer["resourcesPerNode"] = resources(resources_per_node)
    if env:
        trainer["env"] = [{"name": str(k), "value": str(v)} for k, v in env.items()]
    metadata = {k: v for k, v in (("name", name), ("namespace", namespace)) if v is not None}
    spec: Dict[str, Any] = {"runtimeRef": {"name": runtime, "kind": runtime_kind}}
    if trainer:
        spec["trainer"] = trainer
    return {"apiVersion": "trainer.kubeflow.org/v1alpha1", "kind": "TrainJob", "metadata": metadata, "spec": spec}


def function_command(
    func: Callable[..., Any],
    func_args: Optional[Mapping[str, Any]] = None,
    *,
    launcher: str = "python3",
    packages_to_install: Sequence[str] = (),
) -> Tuple[str, ...]:
    """``bash -c`` that writes the function's source to a file, calls it with ``func_args`` (JSON),
    and runs the file with ``launcher`` (``torchrun`` for torch runtimes, as the Trainer SDK does)."""
    if not callable(func):
        raise ValueError("train needs a function")
    source = textwrap.dedent(inspect.getsource(func))
    call = f"{func.__name__}(**json.loads({json.dumps(json.dumps(dict(func_args or {})))}))"
    program = f"import json\n{source}\n{call}\n"
    script = ""
    if packages_to_install:
        script += "python3 -m pip install --quiet --user " + " ".join(shlex.quote(p) for p in packages_to_install) + " && "
    script += (
        "f=$(mktemp -d)/train.py && cat > \"$f\" <<'GANTRY_TRAIN_EOF'\n" + program + "GANTRY_TRAIN_EOF\n"
        + f"exec {launcher} \"$f\""
    )
    return ("bash", "-c", script)


@dataclass(frozen=True)
class Runtime:
    """A Trainer runtime one cluster has: its name, kind, framework label and mlPolicy plugin."""

    cluster: str
    name: str
    kind: str
    namespace: Optional[str]
    framework: Optional[str]
    policy: str
    num_nodes: int
    image: Optional[str]
    steps: Tuple[str, ...]

    @classmethod
    def from_json(cls, cluster: str, d: Mapping[str, Any]) -> "Runtime":
        return cls(
            cluster=cluster,
            name=str(d.get("name") or ""),
            kind=str(d.get("kind") or ""),
            namespace=d.get("namespace"),
            framework=d.get("framework"),
            policy=str(d.get("policy") or ""),
            num_nodes=int(d.get("numNodes") or 1),
            image=d.get("image"),
            steps=tuple(str(s) for s in d.get("steps") or ()),
        )
