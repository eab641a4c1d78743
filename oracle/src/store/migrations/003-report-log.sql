-- Reports leave SQL (DESIGN.md "Storage"): ingest appends them to the report log (segment files in the
-- data directory, or the partitioned report_log table below with DATABASE_URL), the verifier reads them by
-- receive-time window. Reports a data directory still held unverified in the old tables are not carried
-- over (at most one staleAfterS window of rounds).
DROP TABLE IF EXISTS beacon_reports;
DROP TABLE IF EXISTS witness_reports;
ALTER TABLE challenges DROP COLUMN IF EXISTS beacon_report_id;
CREATE INDEX IF NOT EXISTS challenges_by_hotspot ON challenges (hotspot, issued_at_ms);

-- The PostgreSQL report log: one partition per hour of receive time (created on demand), retired by
-- dropping whole partitions once the verifier's checkpoint has passed them. kind: 'b' beacon, 'w' witness.
CREATE TABLE IF NOT EXISTS report_log (
  received_at_ms bigint NOT NULL,
  kind char(1) NOT NULL,
  hotspot text NOT NULL,
  data_hex text NOT NULL,
  challenge_id text,
  report text NOT NULL
) PARTITION BY RANGE (received_at_ms);

-- Where the verifier has settled the log: every report received before checkpoint_ms is verified or stale.
CREATE TABLE IF NOT EXISTS verifier_state (
  id integer PRIMARY KEY CHECK (id = 1),
  checkpoint_ms bigint NOT NULL,
  -- the oracle process that wrote it: another process that takes the verifier over rebuilds its view
  owner text NOT NULL
);
