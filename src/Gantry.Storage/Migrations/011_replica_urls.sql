-- Where each replica can be reached by the others (Gantry:Leader:AdvertiseUrl): a follower asks the
-- leader for what only the leader holds in memory (explain's per-cluster verdicts).
ALTER TABLE replicas ADD COLUMN url TEXT NOT NULL DEFAULT '';
