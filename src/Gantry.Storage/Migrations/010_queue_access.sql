-- Who may submit to a queue: user names and group names, JSON arrays. Both empty (the default
-- for every queue made before) means everyone may.
ALTER TABLE queues ADD COLUMN allowed_users TEXT NOT NULL DEFAULT '[]';
ALTER TABLE queues ADD COLUMN allowed_groups TEXT NOT NULL DEFAULT '[]';
