-- PPol evolution (src/evolve/ppol): how a run got its discriminator, and where each evaluation's
-- personas and episodes are. An evaluation (program × phase) stores them in a simulate-kind run of
-- its own, so the personas' and episodes' keys (run, task, idx / trial, persona) never collide between
-- programs, and every page, export and score that reads a run reads an evaluation too.
CREATE TABLE evolve_bootstrap (
  run_id           TEXT PRIMARY KEY REFERENCES evolve_runs (run_id) ON DELETE CASCADE,
  base_run_id      TEXT REFERENCES runs (id),                -- persona-free base simulator episodes; NULL: --discriminator given
  discriminator_id TEXT NOT NULL REFERENCES discriminators (id),
  created_at       TEXT NOT NULL
) STRICT;

CREATE TABLE evolve_evaluations (
  run_id            TEXT NOT NULL,
  program_id        TEXT NOT NULL,
  phase             TEXT NOT NULL CHECK (phase IN ('train', 'validation')),
  episodes_run_id   TEXT NOT NULL UNIQUE REFERENCES runs (id),  -- the simulate-kind run holding its personas and episodes
  iteration         INTEGER NOT NULL,                           -- the reference's 1-based evaluation counter (picks the batch)
  epoch             INTEGER NOT NULL,
  personas_per_task INTEGER NOT NULL,
  task_ids_json     TEXT NOT NULL,
  reflection_error  TEXT,                                       -- why the reflection is empty, when its call failed
  created_at        TEXT NOT NULL,
  PRIMARY KEY (run_id, program_id, phase),
  FOREIGN KEY (run_id, program_id) REFERENCES evolve_programs (run_id, id) ON DELETE CASCADE
) STRICT;
