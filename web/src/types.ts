// The REST API's shapes (src/Gantry.Server/Api/*Dto.cs), as the dashboard reads them.

export const JOB_STATES = [
  "Queued", "Dispatching", "Submitted", "Running", "Cancelling", "Succeeded", "Failed", "Cancelled",
] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_STATES: readonly string[] = ["Succeeded", "Failed", "Cancelled"];
export const JOB_KINDS = ["Command", "SparkApplication", "PyTorchJob", "JAXJob"] as const;

export interface Resources {
  cpu: string;
  memory: string;
  gpu: number;
  cpuMillicores: number;
  memoryBytes: number;
}

export interface Demand extends Resources {
  pods: { role: string; count: number; perPod: Resources }[];
}

export interface Job {
  id: string;
  name: string;
  kind: string;
  queue: string;
  owner: string;
  priority: number;
  labels: Record<string, string>;
  state: string;
  cluster: string | null;
  message: string;
  attempts: number;
  maxAttempts: number;
  demand: Demand;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  sparkUiUrl: string | null;
  /** The Kubernetes custom resource the job is (null until created, and for jobs that run elsewhere). */
  resource: JobResource | null;
  /** The manifest as submitted; only GET /jobs/{id} includes it. */
  manifest?: Record<string, unknown> | null;
}

export interface JobResource {
  cluster: string;
  namespace: string;
  name: string;
  kind: string;
  apiVersion: string;
}

export interface JobList {
  items: Job[];
  nextCursor: string | null;
}

export interface JobEvent {
  seq: number;
  at: string;
  from: string | null;
  to: string;
  reason: string;
}

export interface WatchEvent {
  event: JobEvent;
  job: Job;
}

export interface ClusterVerdict {
  name: string;
  fits: boolean;
  code: string | null;
  reason: string;
  needed: Resources;
  free: Resources;
}

export interface Explain {
  jobId: string;
  state: string;
  summary: string;
  code: string | null;
  queue: { name: string; position: number | null; queued: number };
  clusters: ClusterVerdict[];
  evaluatedAt: string | null;
}

export interface Observation {
  name: string;
  value: number;
  step: number | null;
  timestamp: string | null;
}

export interface Quota {
  cpu: string | null;
  memory: string | null;
  gpu: number | null;
  runningJobs: number | null;
}

export interface FairShare {
  share: number;
  entitlement: number;
  demanding: boolean;
}

export interface Queue {
  name: string;
  weight: number;
  priority: number;
  quota: Quota;
  policy: string;
  clusterSelector: Record<string, string>;
  affinity: Record<string, string>;
  allowedUsers: string[];
  allowedGroups: string[];
  usage: { used: Resources; runningJobs: number; queuedJobs: number };
  fairShare?: FairShare | null;
}

export interface Cluster {
  name: string;
  type: string;
  labels: Record<string, string>;
  cordoned: boolean;
  healthy: boolean;
  message: string;
  capacity: Resources;
  free: Resources;
  kinds: string[];
  unhealthySince: string | null;
}

export interface ClusterTest {
  cluster: string;
  ok: boolean;
  reachable: boolean;
  version: string | null;
  kinds: string[];
  checks: { check: string; ok: boolean; message: string }[];
}

export interface Me {
  name: string;
  role: string;
}

/** POST /api/v1/jobs/{id}/spark-ui/link: a signed link to the job's Spark UI on its own origin. */
export interface SparkUiLink {
  url: string;
  expiresAt: string;
}

/** One gateway replica, as GET /api/v1/replicas (admins only) lists it. */
export interface Replica {
  id: string;
  host: string;
  version: string;
  started: string;
  lastHeartbeat: string;
  leader: boolean;
  epoch: number | null;
}

export interface ReplicaList {
  items: Replica[];
  leaseHolder: string | null;
  epoch: number | null;
  leaseExpiresAt: string | null;
}

/** Katib's experiment states (docs/experiments.md, "The API"); there is no cancel state. */
export const EXPERIMENT_STATES = ["Created", "Running", "Restarting", "Succeeded", "Failed"] as const;
export const EXPERIMENT_TERMINAL_STATES: readonly string[] = ["Succeeded", "Failed"];

/** A search-space parameter as the API shows it: bounds and list values are strings, as in Katib. */
export interface ExperimentParameter {
  name: string;
  /** double, int, discrete or categorical. */
  type: string;
  min: string | null;
  max: string | null;
  step: string | null;
  list: string[] | null;
  /** uniform, logUniform, normal or logNormal (null: uniform). */
  distribution: string | null;
}

export interface ParameterAssignment {
  name: string;
  value: string;
}

/** Katib's observation of one metric: each a number as text, or "unavailable". */
export interface MetricSummary {
  name: string;
  min: string;
  max: string;
  latest: string;
}

export interface TrialCounts {
  total: number;
  created: number;
  running: number;
  succeeded: number;
  failed: number;
  killed: number;
  earlyStopped: number;
  metricsUnavailable: number;
}

export interface Experiment {
  id: string;
  name: string;
  owner: string;
  queue: string;
  priority: number;
  labels: Record<string, string>;
  state: string;
  reason: string;
  message: string;
  objective: { type: string; metricName: string; goal: number | null; additionalMetricNames: string[] };
  algorithm: string;
  parameters: ExperimentParameter[];
  parallelTrialCount: number;
  maxTrialCount: number | null;
  maxFailedTrialCount: number | null;
  earlyStopping: string | null;
  trials: TrialCounts;
  currentOptimalTrial: {
    bestTrialName: string;
    parameterAssignments: ParameterAssignment[];
    observation: { metrics: MetricSummary[] };
  } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The Experiment as stored; only GET /experiments/{id} includes it. */
  manifest?: Record<string, unknown> | null;
}

export interface ExperimentList {
  items: Experiment[];
  nextCursor: string | null;
}

/** Katib's trial states: Created, Running, Succeeded, Failed, Killed, EarlyStopped, MetricsUnavailable. */
export interface Trial {
  name: string;
  index: number;
  jobId: string | null;
  state: string;
  parameterAssignments: ParameterAssignment[];
  /** The objective under its metric strategy; null when there is none. */
  objective: number | null;
  metrics: MetricSummary[];
  createdAt: string;
  finishedAt: string | null;
  message: string;
}

/** GET /api/v1/tokens: a token as listed, never its secret. `current`: the token of this session. */
export interface Token {
  id: string;
  user: string;
  description: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  expired: boolean;
  current: boolean;
}

/** POST /api/v1/tokens: the only answer that holds the secret. */
export interface IssuedToken {
  id: string;
  token: string;
  expiresAt: string | null;
  user: Me;
}

/** GET /api/v1/audit: one admin action. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

export interface AuditList {
  items: AuditEntry[];
  nextCursor: string | null;
}
