-- Each user's number, from which the local backend derives the OS uid their jobs run under
-- (Gantry:Local:JobUidBase + number). Numbers are handed out in order from a counter and never
-- reused, so a uid never passes from one user to another (files a job left behind stay its owner's).
-- Existing users are numbered in the order they were created.
ALTER TABLE users ADD COLUMN number BIGINT;
UPDATE users SET number = (
    SELECT COUNT(*) FROM users AS earlier
    WHERE earlier.created_at < users.created_at OR (earlier.created_at = users.created_at AND earlier.name <= users.name));
CREATE UNIQUE INDEX ux_users_number ON users (number);
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('user_number', (SELECT COUNT(*) FROM users));
