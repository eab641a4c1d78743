-- Replay memory of MQTT connect tokens (oracle/src/broker/connect-tokens.ts): the newest accepted token
-- timestamp per hotspot, kept across restarts until the token lifetime (authSkewMs) has passed.
CREATE TABLE IF NOT EXISTS connect_tokens (
  address text PRIMARY KEY,
  last_token_ms bigint NOT NULL
);
