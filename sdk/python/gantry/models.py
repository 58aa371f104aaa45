"""Immutable value types for what the API answers. Each ``from_json`` keeps fields this SDK
does not know in ``extra``, so a newer gateway's additions are not lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from ._json import parse_time, require_mapping, unknown_fields
from .units import format_memory

__all__ = [
    "TERMINAL_STATES",
    "Resources",
    "PodDemand",
    "Demand",
    "JobResource",
    "JobInfo",
    "JobEvent",
    "ClusterVerdict",
    "QueuePosition",
    "Explanation",
    "Queue",
    "Cluster",
    "User",
    "SparkUiLink",
]

#: States a job never leaves.
TERMINAL_STATES = frozenset({"Succeeded", "Failed", "Cancelled"})


def _extra() -> Dict[str, Any]:
    return field(default_factory=dict, repr=False, compare=False)  # type: ignore[return-value]


@dataclass(frozen=True)
class Resources:
    cpu: str
    memory: str
    gpu: int
    cpu_millicores: int
    memory_bytes: int
    extra: Mapping[str, Any] = _extra()

    _KNOWN = ("cpu", "memory", "gpu", "cpuMillicores", "memoryBytes")

    @classmethod
    def from_json(cls, data: Any) -> "Resources":
        d = require_mapping(data or {}, "resources")
        return cls(
            cpu=str(d.get("cpu", "0")),
            memory=str(d.get("memory", "0")),
            gpu=int(d.get("gpu") or 0),
            cpu_millicores=int(d.get("cpuMillicores") or 0),
            memory_bytes=int(d.get("memoryBytes") or 0),
            extra=unknown_fields(d, cls._KNOWN),
        )

    @property
    def memory_text(self) -> str:
        """The memory in binary units (``23.5 GiB``), not Kubernetes' ``24683548Ki``."""
        return format_memory(self.memory, self.memory_bytes)

    def __str__(self) -> str:
        gpu = f", {self.gpu} GPU" if self.gpu else ""
        return f"{self.cpu} CPU, {self.memory_text}{gpu}"


@dataclass(frozen=True)
class PodDemand:
    role: str
    count: int
    per_pod: Resources
    extra: Mapping[str, Any] = _extra()

    @classmethod
    def from_json(cls, data: Any) -> "PodDemand":
        d = require_mapping(data, "pod demand")
        return cls(
            role=str(d.get("role", "")),
            count=int(d.get("count") or 0),
            per_pod=Resources.from_json(d.get("perPod")),
            extra=unknown_fields(d, ("role", "count", "perPod")),
        )


@dataclass(frozen=True)
class Demand:
    """A job's whole gang: the total, and each role's pods (driver, executor, master, worker, main)."""

    total: Resources
    pods: Tuple[PodDemand, ...]

    @classmethod
    def from_json(cls, data: Any) -> "Demand":
        d = require_mapping(data or {}, "demand")
        return cls(total=Resources.from_json(d), pods=tuple(PodDemand.from_json(p) for p in d.get("pods") or ()))

    def __str__(self) -> str:
        return str(self.total)


@dataclass(frozen=True)
class JobResource:
    """The Kubernetes custom resource a job is: Gantry names it ``g-<id>``, not after the manifest,
    in the manifest's namespace (or the cluster's). ``kubectl -n <namespace> get <kind> <name>``."""

    cluster: str
    namespace: str
    name: str
    kind: str
    api_version: str
    extra: Mapping[str, Any] = _extra()

    _KNOWN = ("cluster", "namespace", "name", "kind", "apiVersion")

    @classmethod
    def from_json(cls, data: Any) -> Optional["JobResource"]:
        if data is None:
            return None
        d = require_mapping(data, "resource")
        return cls(
            cluster=str(d.get("cluster") or ""),
            namespace=str(d.get("namespace") or ""),
            name=str(d.get("name") or ""),
            kind=str(d.get("kind") or ""),
            api_version=str(d.get("apiVersion") or ""),
            extra=unknown_fields(d, cls._KNOWN),
        )


@dataclass(frozen=True)
class JobInfo:
    """One job as the gateway last described it."""

    id: str
    name: str
    kind: str
    queue: str
    owner: str
    priority: int
    labels: Mapping[str, str]
    state: str
    cluster: Optional[str]
    message: str
    attempts: int
    max_attempts: int
    demand: Demand
    created_at: Optional[datetime]
    started_at: Optional[datetime]
    finished_at: Optional[datetime]
    updated_at: Optional[datetime]
    spark_ui_url: Optional[str]
    manifest: Optional[Mapping[str, Any]]
    #: The Kubernetes custom resource the job is; None until it is created, and for jobs that run elsewhere.
    resource: Optional[JobResource] = None
    extra: Mapping[str, Any] = _extra()

    _KNOWN = (
        "id", "name", "kind", "queue", "owner", "priority", "labels", "state", "cluster", "message",
        "attempts", "maxAttempts", "demand", "createdAt", "startedAt", "finishedAt", "updatedAt",
        "sparkUiUrl", "manifest", "resource",
    )

    @classmethod
    def from_json(cls, data: Any) -> "JobInfo":
        d = require_mapping(data, "job")
        return cls(
            id=str(d["id"]),
            name=str(d.get("name") or ""),
            kind=str(d.get("kind") or ""),
            queue=str(d.get("queue") or ""),
            owner=str(d.get("owner") or ""),
            priority=int(d.get("priority") or 0),
            labels=dict(d.get("labels") or {}),
            state=str(d.get("state") or ""),
            cluster=d.get("cluster"),
            message=str(d.get("message") or ""),
            attempts=int(d.get("attempts") or 0),
            max_attempts=int(d.get("maxAttempts") or 1),
            demand=Demand.from_json(d.get("demand")),
            created_at=parse_time(d.get("createdAt")),
            started_at=parse_time(d.get("startedAt")),
            finished_at=parse_time(d.get("finishedAt")),
            updated_at=parse_time(d.get("updatedAt")),
            spark_ui_url=d.get("sparkUiUrl"),
            manifest=d.get("manifest"),
            resource=JobResource.from_json(d.get("resource")),
            extra=unknown_fields(d, cls._KNOWN),
        )

    @property
    def done(self) -> bool:
        return self.state in TERMINAL_STATES


@dataclass(frozen=True)
class JobEvent:
    """One stored transition: ``from_state`` is None for the first one (and for a watch's opening state)."""

    seq: int
    at: Optional[datetime]
    from_state: Optional[str]
    to_state: str
    reason: str
    extra: Mapping[str, Any] = _extra()

    @classmethod
    def from_json(cls, data: Any) -> "JobEvent":
        d = require_mapping(data, "event")
        return cls(
            seq=int(d.get("seq") or 0),
            at=parse_time(d.get("at")),
            from_state=d.get("from"),
            to_state=str(d.get("to") or ""),
            reason=str(d.get("reason") or ""),
            extra=unknown_fields(d, ("seq", "at", "from", "to", "reason")),
        )


@dataclass(frozen=True)
class ClusterVerdict:
    name: str
    fits: bool
    reason: str
    extra: Mapping[str, Any] = _extra()

    @classmethod
    def from_json(cls, data: Any) -> "ClusterVerdict":
        d = require_mapping(data, "cluster verdict")
        return cls(
            name=str(d.get("name") or ""),
            fits=bool(d.get("fits")),
            reason=str(d.get("reason") or ""),
            extra=unknown_fields(d, ("name", "fits", "reason")),
        )


@dataclass(frozen=True)
class QueuePosition:
    """Where the job stands in its queue; ``position`` counts from 1 and is None once it left."""

    name: str
    position: Optional[int]
    queued: int
    usage: Mapping[str, Any]
    quota: Mapping[str, Any]
    extra: Mapping[str, Any] = _extra()

    @classmethod
    def from_json(cls, data: Any) -> "QueuePosition":
        d = require_mapping(data or {}, "queue position")
        return cls(
            name=str(d.get("name") or ""),
            position=d.get("position"),
            queued=int(d.get("queued") or 0),
            usage=dict(d.get("usage") or {}),
            quota=dict(d.get("quota") or {}),
            extra=unknown_fields(d, ("name", "position", "queued", "usage", "quota")),
        )


@dataclass(frozen=True)
class Explanation:
    """The answer to "why is my job where it is?"."""

    job_id: str
    state: str
    summary: str
    queue: QueuePosition
    clusters: Tuple[ClusterVerdict, ...]
    evaluated_at: Optional[datetime]
    extra: Mapping[str, Any] = _extra()

    @classmethod
    def from_json(cls, data: Any) -> "Explanation":
        d = require_mapping(data, "explanation")
        return cls(
            job_id=str(d.get("jobId") or ""),
            state=str(d.get("state") or ""),
            summary=str(d.get("summary") or ""),
            queue=QueuePosition.from_json(d.get("queue")),
            clusters=tuple(ClusterVerdict.from_json(c) for c in d.get("clusters") or ()),
            evaluated_at=parse_time(d.get("evaluatedAt")),
            extra=unknown_fields(d, ("jobId", "state", "summary", "queue", "clusters", "evaluatedAt")),
        )

    def __str__(self) -> str:
        lines = [self.summary]
        if self.queue.position is not None:
            lines.append(f"queue {self.queue.name}: position {self.queue.position} of {self.queue.queued}")
        lines += [f"  {c.name}: {'fits' if c.fits else 'does not fit'} - {c.reason}" for c in self.clusters]
        return "\n".join(lines)


@dataclass(frozen=True)
class Queue:
    name: str
    weight: float
    priority: int
    policy: str
    quota: Mapping[str, Any]
    cluster_selector: Mapping[str, str]
    usage: Mapping[str, Any]
    #: Who may submit; both empty means everyone may.
    allowed_users: Sequence[str] = ()
    allowed_groups: Sequence[str] = ()
    extra: Mapping[str, Any] = _extra()

    @classmethod
    def from_json(cls, data: Any) -> "Queue":
        d = require_mapping(data, "queue")
        return cls(
            name=str(d.get("name") or ""),
            weight=float(d.get("weight") or 0),
            priority=int(d.get("priority") or 0),
            policy=str(d.get("policy") or ""),
            quota=dict(d.get("quota") or {}),
            cluster_selector=dict(d.get("clusterSelector") or {}),
            usage=dict(d.get("usage") or {}),
            allowed_users=tuple(str(u) for u in d.get("allowedUsers") or ()),
            allowed_groups=tuple(str(g) for g in d.get("allowedGroups") or ()),
            extra=unknown_fields(
                d, ("name", "weight", "priority", "policy", "quota", "clusterSelector", "usage", "allowedUsers", "allowedGroups")
            ),
        )


@dataclass(frozen=True)
class Cluster:
    name: str
    type: str
    labels: Mapping[str, str]
    cordoned: bool
    healthy: bool
    message: str
    capacity: Resources
    free: Resources
    kinds: Tuple[str, ...]
    extra: Mapping[str, Any] = _extra()

    _KNOWN = ("name", "type", "labels", "cordoned", "healthy", "message", "capacity", "free", "kinds")

    @classmethod
    def from_json(cls, data: Any) -> "Cluster":
        d = require_mapping(data, "cluster")
        return cls(
            name=str(d.get("name") or ""),
            type=str(d.get("type") or ""),
            labels=dict(d.get("labels") or {}),
            cordoned=bool(d.get("cordoned")),
            healthy=bool(d.get("healthy")),
            message=str(d.get("message") or ""),
            capacity=Resources.from_json(d.get("capacity")),
            free=Resources.from_json(d.get("free")),
            kinds=tuple(d.get("kinds") or ()),
            extra=unknown_fields(d, cls._KNOWN),
        )

    def __str__(self) -> str:
        state = "cordoned" if self.cordoned else "healthy" if self.healthy else "unhealthy"
        return f"{self.name} ({self.type}, {state}): free {self.free} of {self.capacity}"

    def _repr_html_(self) -> str:
        import html

        return (f"<b>{html.escape(self.name)}</b> ({html.escape(self.type)}): free {html.escape(str(self.free))} "
                f"of {html.escape(str(self.capacity))}")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    extra: Mapping[str, Any] = _extra()

    @classmethod
    def from_json(cls, data: Any) -> "User":
        d = require_mapping(data, "user")
        return cls(name=str(d.get("name") or ""), role=str(d.get("role") or ""), extra=unknown_fields(d, ("name", "role")))


@dataclass(frozen=True)
class SparkUiLink:
    """A signed, short-lived link to a job's Spark UI on the gateway's UI origin
    (``POST /api/v1/jobs/{id}/spark-ui/link``). Opening it in a browser before ``expires_at`` sets a
    cookie there for that one job's UI; it holds no API token. Shown in a notebook as a link."""

    url: str
    expires_at: Optional[datetime]
    extra: Mapping[str, Any] = _extra()

    @classmethod
    def from_json(cls, data: Any) -> "SparkUiLink":
        d = require_mapping(data, "Spark UI link")
        return cls(url=str(d.get("url") or ""), expires_at=parse_time(d.get("expiresAt")), extra=unknown_fields(d, ("url", "expiresAt")))

    def __str__(self) -> str:
        return self.url

    def _repr_html_(self) -> str:
        import html

        until = f" (open before {self.expires_at:%H:%M:%S} UTC)" if self.expires_at else ""
        return f'<a href="{html.escape(self.url)}" target="_blank" rel="noopener noreferrer">Open the Spark UI</a>{html.escape(until)}'
