-- Tuning experiments (issue 18) and their trials. The experiment row holds the Katib manifest as
-- sent, the state the leader's controller last wrote, and a summary (counts, best trial) so lists
-- read one row per experiment. A trial row is written before its job is submitted; the job's
-- idempotency key is made of the experiment and the trial's index, so one trial has one job.
CREATE TABLE experiments (
    seq {{serial_pk}},
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    owner_groups TEXT NOT NULL,
    queue TEXT NOT NULL,
    priority BIGINT NOT NULL,
    labels TEXT NOT NULL,
    manifest TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    exhausted BIGINT NOT NULL,
    summary TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    updated_at BIGINT NOT NULL,
    idem_key TEXT,
    request_hash TEXT,
    version BIGINT NOT NULL
);
CREATE INDEX ix_experiments_owner_seq ON experiments (owner, seq);
CREATE INDEX ix_experiments_state_seq ON experiments (state, seq);
CREATE UNIQUE INDEX ux_experiments_owner_key ON experiments (owner, idem_key);

CREATE TABLE experiment_trials (
    experiment_id TEXT NOT NULL,
    idx BIGINT NOT NULL,
    name TEXT NOT NULL,
    assignments TEXT NOT NULL,
    job_id TEXT,
    state TEXT NOT NULL,
    objective DOUBLE PRECISION,
    metrics TEXT NOT NULL,
    objective_head TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    finished_at BIGINT,
    PRIMARY KEY (experiment_id, idx)
);
CREATE INDEX ix_experiment_trials_state ON experiment_trials (state, experiment_id);
