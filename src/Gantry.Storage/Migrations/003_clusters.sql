-- Registered Kubernetes clusters: how to reach each one (encrypted by the gateway with ASP.NET
-- Core Data Protection before it gets here), the users each is shared with, and the Data
-- Protection key ring itself, so that every gateway replica on this store shares the keys.
ALTER TABLE clusters ADD COLUMN connection TEXT;

CREATE TABLE cluster_shares (
    cluster TEXT NOT NULL REFERENCES clusters (name) ON DELETE CASCADE,
    user_name TEXT NOT NULL,
    namespace TEXT NOT NULL,
    service_account TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (cluster, user_name)
);

CREATE TABLE data_protection_keys (
    name TEXT PRIMARY KEY,
    xml TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
