-- Deny list (Helium's `denylist` crate: a key set plus undirected edges, with a version tag).
CREATE TABLE IF NOT EXISTS deny_list (
  address text PRIMARY KEY,
  tag text NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS deny_edges (
  a text NOT NULL,
  b text NOT NULL,
  PRIMARY KEY (a, b)
);
