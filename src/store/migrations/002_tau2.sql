-- τ² domains imported into the archive (`ppol tau2 import`), so runs need no checkout and record which data they used.
CREATE TABLE IF NOT EXISTS tau2_domains (
  name        TEXT NOT NULL,            -- retail | airline
  data_hash   TEXT NOT NULL,            -- sha256 over the four file hashes
  source      TEXT NOT NULL,            -- the directory it was imported from
  imported_at TEXT NOT NULL,
  PRIMARY KEY (name, data_hash)
) STRICT;

CREATE TABLE IF NOT EXISTS tau2_files (
  name      TEXT NOT NULL,
  data_hash TEXT NOT NULL,
  file      TEXT NOT NULL,              -- db.json | tasks.json | policy.md | split_tasks.json
  sha256    TEXT NOT NULL,
  content   TEXT NOT NULL,
  PRIMARY KEY (name, data_hash, file),
  FOREIGN KEY (name, data_hash) REFERENCES tau2_domains (name, data_hash) ON DELETE CASCADE
) STRICT;
