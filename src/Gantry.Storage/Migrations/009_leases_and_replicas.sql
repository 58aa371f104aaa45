-- The leader's lease (issue 15). One row per lease name; whoever holds an unexpired row leads.
-- The epoch grows with every new term: each write of the leader checks it in the same
-- transaction, so a deposed leader's late write changes nothing. Times are Unix milliseconds,
-- judged by the database's clock so that replicas' clocks need not agree.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    epoch BIGINT NOT NULL,
    acquired_at BIGINT NOT NULL,
    renewed_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
-- Every gateway process that serves the API, with its last heartbeat: what GET /replicas shows.
CREATE TABLE replicas (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    version TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
