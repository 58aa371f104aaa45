"""Manifests from plain arguments, and manifests given as a dict, JSON or YAML text, or a file.

The builders produce what the operators expect (see docs/sdk.md):

* ``command_manifest``: ``{"kind": "Command", "spec": {"command": [...], ...}}``
* ``spark_application``: a SparkApplication (``sparkoperator.k8s.io/v1beta2``)
* ``pytorch_job`` / ``jax_job``: a PyTorchJob / JAXJob (``kubeflow.org/v1``) whose default
  container (``pytorch`` / ``jax``) runs the image's command or ``python3 <script>``
* ``batch_job``: a Kubernetes Job (``batch/v1``) of ``parallelism`` pods, container ``main``
"""

from __future__ import annotations

import copy
import json
import os
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Union

__all__ = [
    "RawYaml",
    "load_manifest",
    "command_manifest",
    "spark_application",
    "pytorch_job",
    "jax_job",
    "batch_job",
    "DEFAULT_SPARK_VERSION",
    "DEFAULT_SCRIPT_IMAGE",
]

DEFAULT_SPARK_VERSION = "3.5.3"
#: The image used when a training job is given a local script and no image: a placeholder
#: for clusters that run the script from a mounted or baked-in path.
DEFAULT_SCRIPT_IMAGE = "python:3"

ManifestSource = Union[Mapping[str, Any], str, "os.PathLike[str]"]


@dataclass(frozen=True)
class RawYaml:
    """YAML text sent as is (``Content-Type: application/yaml``) because PyYAML is not installed."""

    text: str


def load_manifest(source: ManifestSource) -> Union[Dict[str, Any], RawYaml]:
    """A manifest from a dict, a JSON or YAML string, or the path of a .json/.yaml file.

    YAML is parsed with PyYAML when it is importable; otherwise it is returned as RawYaml and
    the gateway parses it (then queue and priority come from its ``gantry.io/`` annotations).
    """
    if isinstance(source, Mapping):
        return copy.deepcopy(dict(source))
    if isinstance(source, os.PathLike):
        return _parse_text(Path(source).read_text(encoding="utf-8"), str(source))
    if not isinstance(source, str):
        raise TypeError(f"a manifest is a dict, JSON or YAML text, or a file path; not {type(source).__name__}")
    text = source.strip()
    if "\n" not in text and not text.startswith("{") and text.lower().endswith((".json", ".yaml", ".yml")):
        path = Path(os.path.expanduser(text))
        if not path.is_file():
            raise FileNotFoundError(f"manifest file {text!r} does not exist")
        return _parse_text(path.read_text(encoding="utf-8"), text)
    return _parse_text(source, "the manifest text")


def _parse_text(text: str, origin: str) -> Union[Dict[str, Any], RawYaml]:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"{origin} is not valid JSON: {exc}") from exc
    else:
        try:
            import yaml  # type: ignore[import-untyped]
        except ImportError:
            return RawYaml(text)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"{origin} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{origin} must hold one object (a manifest), not {type(data).__name__}")
    return data


def command_manifest(
    command: Union[str, Sequence[str]],
    *,
    env: Optional[Mapping[str, Any]] = None,
    working_dir: Optional[str] = None,
    cpu: Union[str, int, float, None] = None,
    memory: Optional[str] = None,
    gpu: Optional[int] = None,
) -> Dict[str, Any]:
    """A Command job. A string command runs with ``sh -c``; a list runs as is."""
    argv = ["sh", "-c", command] if isinstance(command, str) else [str(part) for part in command]
    spec: Dict[str, Any] = {"command": argv}
    if env:
        spec["env"] = {str(k): str(v) for k, v in env.items()}
    if working_dir:
        spec["workingDir"] = str(working_dir)
    resources = _drop_none({"cpu": None if cpu is None else str(cpu), "memory": memory, "gpu": gpu})
    if resources:
        spec["resources"] = resources
    return {"kind": "Command", "spec": spec}


def spark_application(
    *,
    main_file: str,
    main_class: Optional[str] = None,
    image: Optional[str] = None,
    arguments: Sequence[Any] = (),
    app_type: Optional[str] = None,
    spark_version: str = DEFAULT_SPARK_VERSION,
    driver_cores: int = 1,
    driver_memory: str = "1g",
    executor_cores: int = 1,
    executor_memory: str = "1g",
    executor_instances: int = 1,
    spark_conf: Optional[Mapping[str, Any]] = None,
    deps: Optional[Mapping[str, Sequence[str]]] = None,
    service_account: Optional[str] = None,
    namespace: Optional[str] = None,
    env: Optional[Mapping[str, Any]] = None,
) -> Dict[str, Any]:
    """A SparkApplication. ``app_type`` defaults from the main file: .py -> Python, .R -> R, else Scala
    (Java and Scala run the same way). Memory sizes are Spark's (``512m``, ``4g``)."""
    if not main_file:
        raise ValueError("main_file is required: the .py file, or the JAR that holds main_class")
    app_type = app_type or _spark_type(main_file)
    spec: Dict[str, Any] = {
        "type": app_type,
        "mode": "cluster",
        "sparkVersion": spark_version,
        "mainApplicationFile": main_file,
        "restartPolicy": {"type": "Never"},
        "driver": _drop_none({"cores": driver_cores, "memory": driver_memory, "serviceAccount": service_account}),
        "executor": {"instances": executor_instances, "cores": executor_cores, "memory": executor_memory},
    }
    if image:
        spec["image"] = image
    if main_class:
        spec["mainClass"] = main_class
    if arguments:
        spec["arguments"] = [str(a) for a in arguments]
    if spark_conf:
        spec["sparkConf"] = {str(k): str(v) for k, v in spark_conf.items()}
    if deps:
        spec["deps"] = {str(k): list(v) for k, v in deps.items()}
    if env:
        pairs = [{"name": str(k), "value": str(v)} for k, v in env.items()]
        spec["driver"]["env"] = pairs
        spec["executor"]["env"] = list(pairs)
    return {
        "apiVersion": "sparkoperator.k8s.io/v1beta2",
        "kind": "SparkApplication",
        "metadata": _drop_none({"namespace": namespace}),
        "spec": spec,
    }


def pytorch_job(
    *,
    image: Optional[str] = None,
    script: Optional[str] = None,
    command: Optional[Sequence[str]] = None,
    args: Sequence[Any] = (),
    workers: int = 1,
    cpu: Union[str, int, float, None] = None,
    memory: Optional[str] = None,
    gpu: int = 0,
    env: Optional[Mapping[str, Any]] = None,
    namespace: Optional[str] = None,
) -> Dict[str, Any]:
    """A PyTorchJob of ``workers`` pods in all: one Master plus ``workers - 1`` Workers (torchrun's
    world size). Each pod asks for ``cpu``, ``memory`` and ``gpu`` (nvidia.com/gpu)."""
    if workers < 1:
        raise ValueError("workers must be at least 1 (the Master)")
    container = _container("pytorch", image, script, command, args, cpu, memory, gpu, env)
    replicas: Dict[str, Any] = {"Master": _replica(1, "OnFailure", container)}
    if workers > 1:
        replicas["Worker"] = _replica(workers - 1, "OnFailure", container)
    return {
        "apiVersion": "kubeflow.org/v1",
        "kind": "PyTorchJob",
        "metadata": _drop_none({"namespace": namespace}),
        "spec": {"pytorchReplicaSpecs": replicas},
    }


def jax_job(
    *,
    image: Optional[str] = None,
    script: Optional[str] = None,
    command: Optional[Sequence[str]] = None,
    args: Sequence[Any] = (),
    workers: int = 1,
    cpu: Union[str, int, float, None] = None,
    memory: Optional[str] = None,
    gpu: int = 0,
    env: Optional[Mapping[str, Any]] = None,
    namespace: Optional[str] = None,
) -> Dict[str, Any]:
    """A JAXJob of ``workers`` Worker pods (worker 0 hosts the coordinator)."""
    if workers < 1:
        raise ValueError("workers must be at least 1 (worker 0 is the coordinator)")
    container = _container("jax", image, script, command, args, cpu, memory, gpu, env)
    return {
        "apiVersion": "kubeflow.org/v1",
        "kind": "JAXJob",
        "metadata": _drop_none({"namespace": namespace}),
        "spec": {"jaxReplicaSpecs": {"Worker": _replica(workers, "Never", container)}},
    }


def batch_job(
    *,
    image: Optional[str] = None,
    script: Optional[str] = None,
    command: Optional[Sequence[str]] = None,
    args: Sequence[Any] = (),
    parallelism: int = 1,
    completions: Optional[int] = None,
    indexed: bool = False,
    backoff_limit: Optional[int] = None,
    restart_policy: str = "Never",
    cpu: Union[str, int, float, None] = None,
    memory: Optional[str] = None,
    gpu: int = 0,
    env: Optional[Mapping[str, Any]] = None,
    namespace: Optional[str] = None,
) -> Dict[str, Any]:
    """A Kubernetes Job (``batch/v1``) running ``parallelism`` pods at once until ``completions``
    succeed (``parallelism`` by default); ``indexed`` gives each pod ``JOB_COMPLETION_INDEX``.
    Each pod asks for ``cpu``, ``memory`` and ``gpu`` (nvidia.com/gpu)."""
    if parallelism < 1:
        raise ValueError("parallelism must be at least 1")
    if restart_policy not in ("Never", "OnFailure"):
        raise ValueError("restart_policy must be Never or OnFailure (Kubernetes refuses Always in a Job)")
    container = _container("main", image, script, command, args, cpu, memory, gpu, env)
    spec: Dict[str, Any] = {
        "parallelism": parallelism,
        "completions": parallelism if completions is None else completions,
        "template": {"spec": {"restartPolicy": restart_policy, "containers": [container]}},
    }
    if indexed:
        spec["completionMode"] = "Indexed"
    if backoff_limit is not None:
        spec["backoffLimit"] = backoff_limit
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _drop_none({"namespace": namespace}),
        "spec": spec,
    }


def _container(
    name: str,
    image: Optional[str],
    script: Optional[str],
    command: Optional[Sequence[str]],
    args: Sequence[Any],
    cpu: Union[str, int, float, None],
    memory: Optional[str],
    gpu: int,
    env: Optional[Mapping[str, Any]],
) -> Dict[str, Any]:
    if script and command:
        raise ValueError("give either script (run as python3 SCRIPT) or command, not both")
    if not image and not script:
        raise ValueError("give an image (its entrypoint runs, or command), or a script to run with python3")
    container: Dict[str, Any] = {"name": name, "image": image or DEFAULT_SCRIPT_IMAGE}
    if script:
        container["command"] = ["python3", str(script)]
    elif command:
        container["command"] = [str(c) for c in (shlex.split(command) if isinstance(command, str) else command)]
    if args:
        container["args"] = [str(a) for a in args]
    if env:
        container["env"] = [{"name": str(k), "value": str(v)} for k, v in env.items()]
    requests = _drop_none({"cpu": None if cpu is None else str(cpu), "memory": memory})
    if gpu:
        requests["nvidia.com/gpu"] = str(gpu)
    if requests:
        container["resources"] = {"requests": requests}
        if gpu:
            container["resources"]["limits"] = {"nvidia.com/gpu": str(gpu)}
    return container


def _replica(count: int, restart_policy: str, container: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "replicas": count,
        "restartPolicy": restart_policy,
        "template": {"spec": {"containers": [copy.deepcopy(container)]}},
    }


def _spark_type(main_file: str) -> str:
    lower = main_file.lower()
    if lower.endswith(".py"):
        return "Python"
    if lower.endswith(".r"):
        return "R"
    return "Scala"


def _drop_none(values: Mapping[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
