-- Tokens get a public id, listed and revoked by it (the secret and its hash are never shown), an
-- optional expiry and the time they were last used. Tokens issued before this keep working: each
-- gets a random id here. Then the audit trail of admin actions: who, what, on what, when.
ALTER TABLE api_tokens ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
UPDATE api_tokens SET id = 'tok_' || {{random_hex16}} WHERE id = '';
CREATE UNIQUE INDEX ux_api_tokens_id ON api_tokens (id);
CREATE INDEX ix_api_tokens_user ON api_tokens (user_name, created_at);

CREATE TABLE audit_events (
    seq {{serial_pk}},
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX ix_audit_events_actor_seq ON audit_events (actor, seq);
CREATE INDEX ix_audit_events_action_seq ON audit_events (action, seq);
