-- The rewarder pays an epoch only once every beacon received up to its end is verified (Helium's rewarder
-- waits for its verifier's data too). checkpoint_ms also waits for witnesses whose beacon never came
-- (until they are stale), which no share depends on, so the verifier records beacons apart: every beacon
-- received before beacons_settled_ms has its round, and so its reward shares, stored.
ALTER TABLE verifier_state ADD COLUMN IF NOT EXISTS beacons_settled_ms bigint;
