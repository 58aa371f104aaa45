-- Pushed job metrics and the per-job tokens that may push them (stored as hashes only).
CREATE TABLE job_tokens (
    job_id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE job_metrics (
    seq {{serial_pk}},
    job_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value {{double}} NOT NULL,
    step BIGINT,
    ts BIGINT NOT NULL
);
CREATE INDEX ix_job_metrics_job_name ON job_metrics (job_id, name, step, ts);
