-- Program evolution (src/evolve): every program the moment it is proposed, its evaluation as soon as it
-- exists, and one row per committed generation. A run's database state (islands, grid, population) is
-- rebuilt by replaying these rows in (generation, kind, slot, attempt) order, so nothing else is stored.
CREATE TABLE evolve_runs (
  run_id       TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  options_json TEXT NOT NULL,                -- the engine options the run started with
  problem_sha  TEXT NOT NULL,                -- seed program, prompts and angles: a resume must bring the same
  stop_reason  TEXT,                         -- iterations | early_stop | budget | signal | error
  final_id     TEXT,                         -- the chosen program (best by validation, else by train)
  updated_at   TEXT NOT NULL
) STRICT;

CREATE TABLE evolve_programs (
  run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  id            TEXT NOT NULL,               -- unique within the run, e.g. g3-s1-a0
  kind          TEXT NOT NULL CHECK (kind IN ('seed', 'child', 'migrant')),
  generation    INTEGER NOT NULL,
  slot          INTEGER NOT NULL,            -- children: slot of the generation; migrants: order of the copy
  attempt       INTEGER NOT NULL,            -- proposals drawn for the slot before this one
  island        INTEGER NOT NULL,
  parent_id     TEXT,                        -- the program a child was mutated from
  source_id     TEXT,                        -- the program a migrant copies
  code          TEXT NOT NULL,
  code_sha      TEXT NOT NULL,
  diff          TEXT NOT NULL DEFAULT '',
  angle         TEXT,
  mutator_model TEXT,
  mutator_target INTEGER,                    -- index of the mutator role's target (bandit)
  request_hashes_json TEXT NOT NULL DEFAULT '[]',
  tokens        INTEGER NOT NULL DEFAULT 0,  -- mutator tokens spent on this proposal
  status        TEXT NOT NULL CHECK (status IN ('proposed', 'rejected', 'evaluated', 'failed')),
  reason        TEXT,                        -- rejected: diff_failed | check_failed | duplicate | similar; failed: error | timeout
  error         TEXT,
  metrics_json     TEXT,
  descriptors_json TEXT,
  objectives_json  TEXT,
  artifacts_json   TEXT NOT NULL DEFAULT '{}',
  validation_json  TEXT,
  created_at    TEXT NOT NULL,
  evaluated_at  TEXT,
  PRIMARY KEY (run_id, id),
  UNIQUE (run_id, generation, kind, slot, attempt),
  FOREIGN KEY (run_id, parent_id) REFERENCES evolve_programs (run_id, id),
  FOREIGN KEY (run_id, source_id) REFERENCES evolve_programs (run_id, id)
) STRICT;
CREATE INDEX evolve_programs_status ON evolve_programs (run_id, status);
CREATE INDEX evolve_programs_parent ON evolve_programs (run_id, parent_id);

CREATE TABLE evolve_generations (
  run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  generation   INTEGER NOT NULL,
  evaluations  INTEGER NOT NULL,             -- evaluations committed so far in the run
  since_best   INTEGER NOT NULL,             -- evaluations since the best train score last improved
  best_id      TEXT,
  committed_at TEXT NOT NULL,
  PRIMARY KEY (run_id, generation)
) STRICT;
