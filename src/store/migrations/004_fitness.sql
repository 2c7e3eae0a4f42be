-- Fitness: conversation sets (human references and imported simulator episodes), trained
-- discriminators with their provenance, and scores (with the feature and cue versions they used).
CREATE TABLE conversation_sets (
  name          TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('human', 'simulator')),
  format        TEXT NOT NULL,                -- tau-usi | jsonl | tau-bench | multidogo
  domain        TEXT,
  source_files  TEXT NOT NULL,                -- JSON list of the files imported
  content_hash  TEXT NOT NULL,                -- sha256 over the stored conversations
  normalization TEXT NOT NULL DEFAULT 'none', -- none | lower-punct (applied at import)
  split_rule    TEXT NOT NULL,                -- how conversations were assigned to train/test
  space         TEXT NOT NULL CHECK (space IN ('raw', 'z')), -- default coverage space for this reference
  n             INTEGER NOT NULL,
  created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE set_conversations (
  set_name     TEXT NOT NULL REFERENCES conversation_sets (name) ON DELETE CASCADE,
  ord          INTEGER NOT NULL,             -- import order
  id           TEXT NOT NULL,
  task_id      TEXT,
  domain       TEXT,
  split        TEXT NOT NULL CHECK (split IN ('train', 'test')),
  conversation TEXT NOT NULL,                -- the Conversation as JSON (ppol interchange shape)
  PRIMARY KEY (set_name, id)
) STRICT;
CREATE INDEX set_conversations_order ON set_conversations (set_name, ord);

CREATE TABLE discriminators (
  id            TEXT PRIMARY KEY,            -- d-<hash of the model JSON>: retraining identically is idempotent
  human_set     TEXT NOT NULL,
  simulator     TEXT NOT NULL,
  cv_auc        REAL NOT NULL,
  model         TEXT NOT NULL,               -- DiscriminatorModel JSON (scaler, forest, cv, provenance)
  created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE scores (
  id               INTEGER PRIMARY KEY,
  discriminator_id TEXT NOT NULL REFERENCES discriminators (id),
  human_set        TEXT NOT NULL,
  episodes         TEXT NOT NULL,            -- the file or run that was scored
  feature_version  TEXT NOT NULL,
  cue_version      TEXT NOT NULL,
  hl               REAL NOT NULL,
  cov              REAL NOT NULL,
  score            REAL NOT NULL,
  result           TEXT NOT NULL,            -- ScoreResult JSON
  created_at       TEXT NOT NULL
) STRICT;
