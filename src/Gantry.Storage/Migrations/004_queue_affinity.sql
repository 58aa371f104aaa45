-- Cluster labels a queue prefers (not requires) under the label-affinity placement policy.
ALTER TABLE queues ADD COLUMN affinity TEXT NOT NULL DEFAULT '{}';
