-- Jobs, their history, and what submitting them needs. Times are Unix milliseconds (UTC);
-- JSON documents are text so both databases store them alike.
CREATE TABLE jobs (
    seq {{serial_pk}},
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    queue TEXT NOT NULL,
    owner TEXT NOT NULL,
    priority BIGINT NOT NULL,
    labels TEXT NOT NULL,
    manifest TEXT NOT NULL,
    demand TEXT NOT NULL,
    state TEXT NOT NULL,
    cluster TEXT,
    message TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    max_attempts BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    updated_at BIGINT NOT NULL,
    spark_ui_url TEXT,
    backend_state TEXT,
    version BIGINT NOT NULL
);
CREATE INDEX ix_jobs_state_queue_seq ON jobs (state, queue, seq);
CREATE INDEX ix_jobs_owner_seq ON jobs (owner, seq);
CREATE INDEX ix_jobs_queue_seq ON jobs (queue, seq);

CREATE TABLE job_events (
    seq {{serial_pk}},
    job_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX ix_job_events_job_seq ON job_events (job_id, seq);

CREATE TABLE idempotency_keys (
    owner TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    job_id TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (owner, idem_key)
);

CREATE TABLE queues (
    name TEXT PRIMARY KEY,
    weight {{double}} NOT NULL,
    priority BIGINT NOT NULL,
    quota TEXT NOT NULL,
    cluster_selector TEXT NOT NULL,
    policy TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE clusters (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    labels TEXT NOT NULL,
    cordoned BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
