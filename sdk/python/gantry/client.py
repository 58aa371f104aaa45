"""``Client``: the entry point. Submits jobs, finds them, and reads the gateway's queues and clusters."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Union
from urllib.parse import quote

from . import manifests, trainer
from ._experiment_client import ExperimentCalls
from ._http import RetryPolicy, Transport
from .config import Settings, load_settings
from .errors import ConfigError
from .token_file import TokenFile
from .jobs import Job
from .metrics import MetricPoint
from .models import Cluster, JobInfo, Queue, User

logger = logging.getLogger(__name__)

__all__ = ["Client"]

Labels = Optional[Mapping[str, str]]
Cpu = Union[str, int, float, None]


class Client(ExperimentCalls):
    """Talks to one Gantry gateway. Tuning experiments (``tune``, ``submit_experiment``,
    ``get_experiment``, ``experiments``) come from ``ExperimentCalls``.

    ``url`` and ``token`` default to GANTRY_URL / GANTRY_TOKEN (or GANTRY_TOKEN_FILE), then
    ``~/.gantry/config``, then a projected token at ``/var/run/secrets/gantry/token``, then
    ``http://127.0.0.1:8080`` and the local admin token (see ``gantry.config``). A token read from
    a file is read again whenever the file changes, as the kubelet rotates it. ``timeout`` is per
    request, in seconds; safe requests are retried ``retries`` times with exponential backoff
    from ``backoff`` seconds, honouring Retry-After.
    """

    def __init__(
        self,
        *,
        url: Optional[str] = None,
        token: Optional[str] = None,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.settings: Settings = load_settings(url=url, token=token)
        if not self.settings.token:
            raise ConfigError(
                f"No Gantry token found for {self.settings.url}: pass Client(token=...), set GANTRY_TOKEN, "
                "or run `gantry login URL --token T` (writes ~/.gantry/config). On the machine running "
                "`gantry serve`, its admin token is in <data dir>/admin.token."
            )
        credential = TokenFile(self.settings.token_file) if self.settings.token_file else self.settings.token
        self._transport = Transport(
            self.settings.url, credential, timeout=timeout, retry=RetryPolicy(retries=retries, backoff=backoff)
        )

    @property
    def url(self) -> str:
        return self.settings.url

    def __repr__(self) -> str:
        return f"<gantry.Client {self.url} (token from {self.settings.token_source})>"

    # ------------------------------------------------------------------ submitting

    def submit(
        self,
        manifest: manifests.ManifestSource,
        *,
        queue: Optional[str] = None,
        priority: Optional[int] = None,
        labels: Labels = None,
        name: Optional[str] = None,
        max_attempts: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Job:
        """Submits a manifest (a dict, JSON or YAML text, or a file path) and returns the queued Job.

        Every submission carries an Idempotency-Key (a fresh one unless given), so retrying it after
        a lost answer returns the first job instead of creating a second.
        """
        loaded = manifests.load_manifest(manifest)
        key = idempotency_key or uuid.uuid4().hex
        headers = {"Idempotency-Key": key}
        if isinstance(loaded, manifests.RawYaml):
            given = {"queue": queue, "priority": priority, "labels": labels, "name": name, "max_attempts": max_attempts}
            if any(v is not None for v in given.values()):
                raise ValueError(
                    "PyYAML is not installed, so a YAML manifest is sent as is and "
                    f"{', '.join(k for k, v in given.items() if v is not None)} cannot be added; set the "
                    "gantry.io/queue and gantry.io/priority annotations in the YAML, pass a dict, or install PyYAML."
                )
            response = self._transport.request(
                "POST", "/api/v1/jobs", body=loaded.text.encode("utf-8"), content_type="application/yaml",
                headers=headers, idempotent=True,
            )
            return Job(self._transport, JobInfo.from_json(response.json()))
        envelope: Dict[str, Any] = {"manifest": loaded}
        for field, value in (("queue", queue), ("priority", priority), ("name", name), ("maxAttempts", max_attempts)):
            if value is not None:
                envelope[field] = value
        if labels:
            envelope["labels"] = {str(k): str(v) for k, v in labels.items()}
        response = self._transport.request("POST", "/api/v1/jobs", json_body=envelope, headers=headers, idempotent=True)
        if response.headers.get("idempotent-replayed") == "true":
            logger.info("submission with Idempotency-Key %s returned the job it created before", key)
        info = JobInfo.from_json(response.json())
        if info.manifest is None:
            info = _with_manifest(info, loaded)
        return Job(self._transport, info)

    def submit_command(
        self,
        command: Union[str, Sequence[str]],
        *,
        env: Optional[Mapping[str, Any]] = None,
        working_dir: Optional[str] = None,
        cpu: Cpu = None,
        memory: Optional[str] = None,
        gpu: Optional[int] = None,
        queue: Optional[str] = None,
        priority: Optional[int] = None,
        labels: Labels = None,
        name: Optional[str] = None,
        max_attempts: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Job:
        """Runs a command (a list, or a string for ``sh -c``) as a job."""
        manifest = manifests.command_manifest(command, env=env, working_dir=working_dir, cpu=cpu, memory=memory, gpu=gpu)
        return self.submit(manifest, queue=queue, priority=priority, labels=labels, name=name,
                           max_attempts=max_attempts, idempotency_key=idempotency_key)

    def submit_spark(
        self,
        manifest: Optional[manifests.ManifestSource] = None,
        *,
        main_file: Optional[str] = None,
        main_class: Optional[str] = None,
        image: Optional[str] = None,
        arguments: Sequence[Any] = (),
        app_type: Optional[str] = None,
        spark_version: str = manifests.DEFAULT_SPARK_VERSION,
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
        queue: Optional[str] = None,
        priority: Optional[int] = None,
        labels: Labels = None,
        name: Optional[str] = None,
        max_attempts: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Job:
        """Submits a SparkApplication: either ``manifest`` as written, or one built from the arguments."""
        if manifest is None:
            if main_file is None:
                raise ValueError("submit_spark needs a manifest, or main_file (a .py file or the JAR with main_class)")
            manifest = manifests.spark_application(
                main_file=main_file, main_class=main_class, image=image, arguments=arguments, app_type=app_type,
                spark_version=spark_version, driver_cores=driver_cores, driver_memory=driver_memory,
                executor_cores=executor_cores, executor_memory=executor_memory,
                executor_instances=executor_instances, spark_conf=spark_conf, deps=deps,
                service_account=service_account, namespace=namespace, env=env,
            )
        return self.submit(manifest, queue=queue, priority=priority, labels=labels, name=name,
                           max_attempts=max_attempts, idempotency_key=idempotency_key)

    def submit_pytorch(
        self,
        manifest: Optional[manifests.ManifestSource] = None,
        *,
        image: Optional[str] = None,
        script: Optional[str] = None,
        command: Optional[Sequence[str]] = None,
        args: Sequence[Any] = (),
        workers: int = 1,
        cpu: Cpu = None,
        memory: Optional[str] = None,
        gpu: int = 0,
        env: Optional[Mapping[str, Any]] = None,
        namespace: Optional[str] = None,
        queue: Optional[str] = None,
        priority: Optional[int] = None,
        labels: Labels = None,
        name: Optional[str] = None,
        max_attempts: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Job:
        """Submits a PyTorchJob: ``manifest`` as written, or ``workers`` pods (one Master) built from the arguments."""
        if manifest is None:
            manifest = manifests.pytorch_job(image=image, script=script, command=command, args=args, workers=workers,
                                             cpu=cpu, memory=memory, gpu=gpu, env=env, namespace=namespace)
        return self.submit(manifest, queue=queue, priority=priority, labels=labels, name=name,
                           max_attempts=max_attempts, idempotency_key=idempotency_key)

    def submit_jax(
        self,
        manifest: Optional[manifests.ManifestSource] = None,
        *,
        image: Optional[str] = None,
        script: Optional[str] = None,
        command: Optional[Sequence[str]] = None,
        args: Sequence[Any] = (),
        workers: int = 1,
        cpu: Cpu = None,
        memory: Optional[str] = None,
        gpu: int = 0,
        env: Optional[Mapping[str, Any]] = None,
        namespace: Optional[str] = None,
        queue: Optional[str] = None,
        priority: Optional[int] = None,
        labels: Labels = None,
        name: Optional[str] = None,
        max_attempts: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Job:
        """Submits a JAXJob: ``manifest`` as written, or ``workers`` Worker pods built from the arguments."""
        if manifest is None:
            manifest = manifests.jax_job(image=image, script=script, command=command, args=args, workers=workers,
                                         cpu=cpu, memory=memory, gpu=gpu, env=env, namespace=namespace)
        return self.submit(manifest, queue=queue, priority=priority, labels=labels, name=name,
                           max_attempts=max_attempts, idempotency_key=idempotency_key)

    def submit_batch_job(
        self,
        manifest: Optional[manifests.ManifestSource] = None,
        *,
        image: Optional[str] = None,
        script: Optional[str] = None,
        command: Optional[Sequence[str]] = None,
        args: Sequence[Any] = (),
        parallelism: int = 1,
        completions: Optional[int] = None,
        indexed: bool = False,
        backoff_limit: Optional[int] = None,
        cpu: Cpu = None,
        memory: Optional[str] = None,
        gpu: int = 0,
        env: Optional[Mapping[str, Any]] = None,
        namespace: Optional[str] = None,
        queue: Optional[str] = None,
        priority: Optional[int] = None,
        labels: Labels = None,
        name: Optional[str] = None,
        max_attempts: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Job:
        """Submits a Kubernetes Job (batch/v1): ``manifest`` as written (a Katib trialSpec, say), or ``parallelism`` pods built from the arguments."""
        if manifest is None:
            manifest = manifests.batch_job(image=image, script=script, command=command, args=args, parallelism=parallelism,
                                           completions=completions, indexed=indexed, backoff_limit=backoff_limit,
                                           cpu=cpu, memory=memory, gpu=gpu, env=env, namespace=namespace)
        return self.submit(manifest, queue=queue, priority=priority, labels=labels, name=name,
                           max_attempts=max_attempts, idempotency_key=idempotency_key)

    def submit_trainjob(
        self,
        manifest: Optional[manifests.ManifestSource] = None,
        *,
        runtime: str = trainer.DEFAULT_RUNTIME,
        image: Optional[str] = None,
        command: Optional[Sequence[str]] = None,
        args: Sequence[Any] = (),
        num_nodes: Optional[int] = None,
        num_proc_per_node: Optional[int] = None,
        resources_per_node: Optional[Mapping[str, Any]] = None,
        env: Optional[Mapping[str, Any]] = None,
        namespace: Optional[str] = None,
        queue: Optional[str] = None,
        priority: Optional[int] = None,
        labels: Labels = None,
        name: Optional[str] = None,
        max_attempts: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Job:
        """Submits a Kubeflow Trainer TrainJob: ``manifest`` as written, or one naming ``runtime``
        built from the arguments. ``resources_per_node`` takes the Trainer SDK's keys (cpu, memory,
        gpu for nvidia.com/gpu, storage) or full names, as both requests and limits. The job goes
        only to clusters that have the runtime (``client.runtimes()``)."""
        if manifest is None:
            manifest = trainer.train_job(runtime=runtime, image=image, command=command, args=args, num_nodes=num_nodes,
                                         num_proc_per_node=num_proc_per_node, resources_per_node=resources_per_node,
                                         env=env, namespace=namespace)
        return self.submit(manifest, queue=queue, priority=priority, labels=labels, name=name,
                           max_attempts=max_attempts, idempotency_key=idempotency_key)

    def train(
        self,
        func: Callable[..., Any],
        *,
        func_args: Optional[Mapping[str, Any]] = None,
        runtime: str = trainer.DEFAULT_RUNTIME,
        num_nodes: Optional[int] = None,
        resources_per_node: Optional[Mapping[str, Any]] = None,
        env: Optional[Mapping[str, Any]] = None,
        packages_to_install: Sequence[str] = (),
        image: Optional[str] = None,
        launcher: Optional[str] = None,
        queue: Optional[str] = None,
        name: Optional[str] = None,
    ) -> Job:
        """Runs a Python function as a TrainJob, like the Trainer SDK's ``TrainerClient.train`` with a
        CustomTrainer: the function's source is the trainer's command, run by ``torchrun`` on a
        torch runtime (``launcher`` overrides), by ``python3`` otherwise."""
        chosen = launcher or ("torchrun" if runtime.startswith("torch") else "python3")
        command = trainer.function_command(func, func_args, launcher=chosen, packages_to_install=packages_to_install)
        return self.submit_trainjob(runtime=runtime, image=image, command=command, num_nodes=num_nodes,
                                    resources_per_node=resources_per_node, env=env, queue=queue, name=name)

    def runtimes(self, cluster: Optional[str] = None) -> List[trainer.Runtime]:
        """The Trainer runtimes of ``cluster``, or of every cluster (each Runtime names its cluster)."""
        names = [cluster] if cluster else [c.name for c in self.clusters()]
        found: List[trainer.Runtime] = []
        for one in names:
            listed = self._transport.request("GET", f"/api/v1/clusters/{quote(one, safe='')}/runtimes").json() or {}
            found.extend(trainer.Runtime.from_json(one, r) for r in listed.get("items", []))
        return found

    # ------------------------------------------------------------------ finding jobs

    def job(self, job_id: str) -> Job:
        """One job by id (raises NotFound)."""
        response = self._transport.request("GET", f"/api/v1/jobs/{quote(job_id, safe='')}")
        return Job(self._transport, JobInfo.from_json(response.json()))

    def jobs(
        self,
        *,
        state: Union[str, Sequence[str], None] = None,
        queue: Optional[str] = None,
        owner: Optional[str] = None,
        kind: Optional[str] = None,
        cluster: Optional[str] = None,
        labels: Labels = None,
        label_selector: Optional[str] = None,
        limit: Optional[int] = None,
        page_size: Optional[int] = None,
    ) -> Iterator[Job]:
        """Jobs newest first, fetching pages of ``page_size`` as the iteration needs them.

        ``state`` is one state or several; ``labels`` ({"team": "ml"}) and ``label_selector``
        ("team=ml,env!=dev") filter by label; ``limit`` stops after that many jobs.
        """
        if limit is not None and limit < 0:
            raise ValueError("limit must be >= 0")
        selector = ",".join([f"{k}={v}" for k, v in (labels or {}).items()] + ([label_selector] if label_selector else []))
        if page_size is None and limit is not None:
            page_size = max(min(limit, 500), 1)
        query: Dict[str, Any] = {
            "state": [state] if isinstance(state, str) else state,
            "queue": queue, "owner": owner, "kind": kind, "cluster": cluster,
            "labelSelector": selector or None, "limit": page_size,
        }
        return self._iterate_jobs(query, limit)

    def _iterate_jobs(self, query: Dict[str, Any], limit: Optional[int]) -> Iterator[Job]:
        yielded = 0
        cursor: Optional[str] = None
        while limit is None or yielded < limit:
            page = self._transport.request("GET", "/api/v1/jobs", query={**query, "cursor": cursor}).json() or {}
            for item in page.get("items", []):
                if limit is not None and yielded >= limit:
                    return
                yield Job(self._transport, JobInfo.from_json(item))
                yielded += 1
            cursor = page.get("nextCursor")
            if not cursor:
                return

    # ------------------------------------------------------------------ metrics as the owner

    def metrics(self, job_id: str, name: Optional[str] = None) -> List[MetricPoint]:
        """The metric points job ``job_id`` pushed (same as ``client.job(id).metrics(name)``)."""
        response = self._transport.request("GET", f"/api/v1/jobs/{quote(job_id, safe='')}/metrics", query={"name": name})
        return [MetricPoint.from_json(p) for p in (response.json() or {}).get("items", [])]

    def push_metrics(self, job_id: str, points: Sequence[Mapping[str, Any]]) -> int:
        """Pushes observations for a job as its owner (or an admin), synchronously; returns how many
        the gateway accepted. Each point is ``{"name", "value", "step"?, "timestamp"?}``.
        Inside a job use ``gantry.report_metrics`` instead."""
        body = {"metrics": [dict(p) for p in points]}
        response = self._transport.request("POST", f"/api/v1/jobs/{quote(job_id, safe='')}/metrics", json_body=body)
        return int((response.json() or {}).get("accepted", len(points)))

    # ------------------------------------------------------------------ the gateway

    def whoami(self) -> User:
        return User.from_json(self._transport.request("GET", "/api/v1/whoami").json())

    def queues(self) -> List[Queue]:
        return [Queue.from_json(q) for q in (self._transport.request("GET", "/api/v1/queues").json() or {}).get("items", [])]

    def clusters(self) -> List[Cluster]:
        return [Cluster.from_json(c) for c in (self._transport.request("GET", "/api/v1/clusters").json() or {}).get("items", [])]


def _with_manifest(info: JobInfo, manifest: Dict[str, Any]) -> JobInfo:
    import dataclasses

    return dataclasses.replace(info, manifest=manifest)
