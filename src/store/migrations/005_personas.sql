-- Personas produced by generator programs: one row per (run, task) attempt and one per valid persona.
-- The program text is stored once by content hash, so every persona can be traced to its code.
CREATE TABLE persona_programs (
  sha256     TEXT PRIMARY KEY,
  name       TEXT NOT NULL,             -- file name or built-in seed name when first stored
  code       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE persona_tasks (
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  task_id      TEXT NOT NULL,
  program_sha  TEXT NOT NULL REFERENCES persona_programs(sha256),
  domain       TEXT NOT NULL,
  n            INTEGER NOT NULL,
  ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
  error_kind   TEXT,                    -- sandbox verdict when the program failed as a whole
  error        TEXT,
  failures_json TEXT NOT NULL,          -- per-persona failures [{index, persona_id, error}]
  stdout       TEXT NOT NULL,
  stderr       TEXT NOT NULL,
  ms           REAL NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (run_id, task_id)
) STRICT;

CREATE TABLE personas (
  run_id               TEXT NOT NULL,
  task_id              TEXT NOT NULL,
  idx                  INTEGER NOT NULL,
  persona_id           TEXT NOT NULL,
  description          TEXT NOT NULL,
  axis_placement_json  TEXT NOT NULL,
  reasoning            TEXT NOT NULL,
  expanded_instruction TEXT NOT NULL,
  PRIMARY KEY (run_id, task_id, idx),
  FOREIGN KEY (run_id, task_id) REFERENCES persona_tasks(run_id, task_id) ON DELETE CASCADE
) STRICT;
