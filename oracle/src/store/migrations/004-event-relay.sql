-- Several oracle processes (docs/architecture.md "Several oracle processes"): live events travel between
-- processes as PostgreSQL NOTIFY payloads (event-relay.ts). NOTIFY takes at most 8,000 bytes, so a larger
-- event is stored here and its id is sent instead; rows older than ten minutes are deleted.
CREATE TABLE IF NOT EXISTS event_relay_spill (
  id       bigserial PRIMARY KEY,
  at_ms    int8 NOT NULL,
  event    text NOT NULL
);
