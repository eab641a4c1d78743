-- Hexium oracle core schema. Times are Unix ms in bigint columns (*_ms), decimals are
-- text (exact decimal strings), token amounts are numeric (integer bones). Packet router tables live in
-- 1xx-*.sql.

CREATE TABLE IF NOT EXISTS meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

-- Onboarded hotspots (the config service's gateway info) plus the verifier's history columns
-- (runner.rs last_beacon / last_witness / last_beacon_reciprocity) and map aggregates.
CREATE TABLE IF NOT EXISTS hotspots (
  id serial UNIQUE,
  address text PRIMARY KEY,
  name text NOT NULL,
  location text,
  lat double precision,
  lng double precision,
  region text,
  gain_dbi double precision NOT NULL,
  elevation_m double precision NOT NULL,
  full_hotspot boolean NOT NULL,
  fleet text,
  onboarded_at_ms bigint NOT NULL,
  updated_at_ms bigint NOT NULL,
  onboard_timestamp_ms bigint NOT NULL,
  online boolean NOT NULL DEFAULT false,
  online_changed_at_ms bigint,
  last_beacon_at_ms bigint,
  last_witness_at_ms bigint,
  last_beacon_reciprocity_at_ms bigint,
  last_poc_status text,
  hex_scale text,
  valid_witnesses integer NOT NULL DEFAULT 0,
  best_rssi_dbm double precision
);
CREATE INDEX IF NOT EXISTS hotspots_fleet ON hotspots (fleet);

-- Entropy (entropy_report_v1), keyed by its data.
CREATE TABLE IF NOT EXISTS entropy (
  data_hex text PRIMARY KEY,
  timestamp_s bigint NOT NULL,
  version integer NOT NULL
);
CREATE INDEX IF NOT EXISTS entropy_ts ON entropy (timestamp_s);

-- Raw reports as ingest stored them (never judged). status: ready → verified | stale.
CREATE TABLE IF NOT EXISTS beacon_reports (
  id bigserial PRIMARY KEY,
  hotspot text NOT NULL,
  data_hex text NOT NULL,
  remote_entropy_hex text NOT NULL,
  received_at_ms bigint NOT NULL,
  challenge_id text,
  report text NOT NULL, -- the JSON as received (text: cheaper to store than jsonb on the ingest hot path)
  status text NOT NULL DEFAULT 'ready'
);
CREATE INDEX IF NOT EXISTS beacon_reports_ready ON beacon_reports (status, received_at_ms);
CREATE INDEX IF NOT EXISTS beacon_reports_data ON beacon_reports (data_hex);

CREATE TABLE IF NOT EXISTS witness_reports (
  id bigserial PRIMARY KEY,
  hotspot text NOT NULL,
  data_hex text NOT NULL,
  received_at_ms bigint NOT NULL,
  report text NOT NULL,
  status text NOT NULL DEFAULT 'ready'
);
CREATE INDEX IF NOT EXISTS witness_reports_data ON witness_reports (data_hex, status);
CREATE INDEX IF NOT EXISTS witness_reports_ready ON witness_reports (status, received_at_ms);

-- Verified rounds: the PocResult as published.
CREATE TABLE IF NOT EXISTS rounds (
  poc_id text PRIMARY KEY,
  beaconer text NOT NULL,
  status text NOT NULL,
  received_at_ms bigint NOT NULL,
  verified_at_ms bigint NOT NULL,
  challenge_id text,
  result jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS rounds_received ON rounds (received_at_ms DESC);
CREATE INDEX IF NOT EXISTS rounds_beaconer ON rounds (beaconer, received_at_ms DESC);

-- Every hotspot that took part in a round (beaconer or witness), for the hotspot detail.
CREATE TABLE IF NOT EXISTS round_participants (
  poc_id text NOT NULL,
  hotspot text NOT NULL,
  role text NOT NULL,
  received_at_ms bigint NOT NULL,
  PRIMARY KEY (poc_id, hotspot, role)
);
CREATE INDEX IF NOT EXISTS round_participants_hotspot ON round_participants (hotspot, received_at_ms DESC);

-- PoC reward shares (hex_scale × reward_unit), dated by the beacon's receive time (reward_timestamp).
CREATE TABLE IF NOT EXISTS poc_shares (
  poc_id text NOT NULL,
  hotspot text NOT NULL,
  kind text NOT NULL, -- beacon | witness
  share text NOT NULL,
  reward_at_ms bigint NOT NULL,
  PRIMARY KEY (poc_id, hotspot, kind)
);
CREATE INDEX IF NOT EXISTS poc_shares_time ON poc_shares (reward_at_ms);

-- Paid epochs: one row per epoch, never two (the primary key makes paying twice impossible).
CREATE TABLE IF NOT EXISTS epochs (
  epoch integer PRIMARY KEY,
  start_s bigint NOT NULL,
  end_s bigint NOT NULL,
  hash text NOT NULL UNIQUE,
  prev_hash text,
  hotspots integer NOT NULL,
  total_bones numeric NOT NULL,
  manifest jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS epoch_rewards (
  epoch integer NOT NULL REFERENCES epochs (epoch),
  hotspot text NOT NULL,
  beacon_amount numeric NOT NULL,
  witness_amount numeric NOT NULL,
  dc_transfer_amount numeric NOT NULL,
  total numeric NOT NULL,
  PRIMARY KEY (epoch, hotspot)
);
CREATE INDEX IF NOT EXISTS epoch_rewards_hotspot ON epoch_rewards (hotspot, epoch DESC);

-- Challenges sent on demand (POST /api/v1/challenges); poc_id set when the beacon arrives.
CREATE TABLE IF NOT EXISTS challenges (
  challenge_id text PRIMARY KEY,
  hotspot text NOT NULL,
  issued_at_ms bigint NOT NULL,
  beacon_report_id bigint
);
CREATE INDEX IF NOT EXISTS challenges_open ON challenges (hotspot, issued_at_ms) WHERE beacon_report_id IS NULL;
