-- Archive bookkeeping and runs. Later stages add their tables in their own numbered migrations.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE runs (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,            -- evolve | simulate | personas | score | ...
  status      TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
  config_json TEXT NOT NULL,            -- effective config and flags the run started with
  seed        INTEGER,
  ppol_version TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  notes       TEXT
) STRICT;
CREATE INDEX runs_kind_created ON runs (kind, created_at);
