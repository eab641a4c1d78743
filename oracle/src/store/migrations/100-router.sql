-- Packet router and data credits (oracle/src/router, docs/data-credits.md).
-- DevAddr and EUIs are lower-case big-endian hex; keys are lower-case hex; DC amounts are int8.

CREATE TABLE IF NOT EXISTS router_orgs (
  org_id        text PRIMARY KEY,
  name          text NOT NULL,
  dc_balance    int8 NOT NULL DEFAULT 0 CHECK (dc_balance >= 0),
  created_at_ms int8 NOT NULL
);

-- DevAddr ranges an organization owns (inclusive, as unsigned 32-bit integers).
CREATE TABLE IF NOT EXISTS router_devaddr_ranges (
  org_id     text NOT NULL REFERENCES router_orgs(org_id) ON DELETE CASCADE,
  start_addr int8 NOT NULL,
  end_addr   int8 NOT NULL,
  CHECK (start_addr <= end_addr),
  PRIMARY KEY (org_id, start_addr)
);

-- OTAA devices known to the join server.
CREATE TABLE IF NOT EXISTS router_devices (
  dev_eui    text PRIMARY KEY,
  join_eui   text NOT NULL,
  app_key    text NOT NULL,
  org_id     text NOT NULL REFERENCES router_orgs(org_id) ON DELETE CASCADE,
  join_nonce int4 NOT NULL DEFAULT 0
);

-- DevNonces already used by each device (LoRaWAN: a DevNonce is never accepted twice).
CREATE TABLE IF NOT EXISTS router_dev_nonces (
  dev_eui   text NOT NULL,
  dev_nonce int4 NOT NULL,
  PRIMARY KEY (dev_eui, dev_nonce)
);

-- Active sessions (ABP, or created by a join). f_cnt_up is the next expected uplink counter.
CREATE TABLE IF NOT EXISTS router_sessions (
  dev_addr      text PRIMARY KEY,
  org_id        text NOT NULL REFERENCES router_orgs(org_id) ON DELETE CASCADE,
  dev_eui       text,
  nwk_s_key     text NOT NULL,
  app_s_key     text NOT NULL,
  f_cnt_up      int8 NOT NULL DEFAULT 0,
  f_cnt_down    int8 NOT NULL DEFAULT 0,
  created_at_ms int8 NOT NULL
);
CREATE INDEX IF NOT EXISTS router_sessions_dev_eui ON router_sessions (dev_eui);

-- Data-transfer shares: one row per bought copy (hotspot earns num_dcs for the reward epoch).
CREATE TABLE IF NOT EXISTS router_dc_shares (
  id             bigserial PRIMARY KEY,
  hotspot        text NOT NULL,
  dcs            int8 NOT NULL,
  received_at_ms int8 NOT NULL,
  packet_hash    text NOT NULL,
  UNIQUE (packet_hash, hotspot)
);
CREATE INDEX IF NOT EXISTS router_dc_shares_time ON router_dc_shares (received_at_ms);

-- Every packet charged (one row per de-duplicated uplink).
CREATE TABLE IF NOT EXISTS router_packets (
  packet_hash    text PRIMARY KEY,
  org_id         text NOT NULL,
  dev_addr       text NOT NULL,
  f_cnt          int8 NOT NULL,
  payload_size   int4 NOT NULL,
  dc_charged     int8 NOT NULL,
  received_at_ms int8 NOT NULL
);
CREATE INDEX IF NOT EXISTS router_packets_time ON router_packets (received_at_ms);

-- DC purchases (HNT burned at the oracle price).
CREATE TABLE IF NOT EXISTS router_dc_burns (
  id          bigserial PRIMARY KEY,
  org_id      text NOT NULL REFERENCES router_orgs(org_id) ON DELETE CASCADE,
  hnt_bones   numeric NOT NULL,
  hnt_price   int8 NOT NULL,
  dc_added    int8 NOT NULL,
  at_ms       int8 NOT NULL
);
