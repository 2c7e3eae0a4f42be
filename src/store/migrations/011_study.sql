-- Blinded Turing-test studies (`ppol study create`, the web UI) and the indexes the web UI's paginated
-- pages need on large archives (10,000 programs, 100,000 episodes).
CREATE TABLE studies (
  name         TEXT PRIMARY KEY,
  human_set    TEXT NOT NULL,
  sources_json TEXT NOT NULL,             -- the --from runs and sets, as given
  seed         INTEGER NOT NULL,
  created_at   TEXT NOT NULL
) STRICT;

-- Items are numbered in a random order unrelated to their source; the blinded dialogue is stored, so
-- serving it costs the same whatever it came from.
CREATE TABLE study_items (
  study         TEXT NOT NULL REFERENCES studies (name) ON DELETE CASCADE,
  item          INTEGER NOT NULL,
  condition     TEXT NOT NULL,            -- 'human' or the run / set it came from: never sent to annotators
  source_ref    TEXT NOT NULL,            -- the conversation or episode id (provenance only)
  messages_json TEXT NOT NULL,            -- [{speaker: "customer"|"agent", text}] as shown
  PRIMARY KEY (study, item)
) STRICT;

CREATE TABLE study_annotators (
  study      TEXT NOT NULL REFERENCES studies (name) ON DELETE CASCADE,
  annotator  INTEGER NOT NULL,            -- 1..N
  token      TEXT NOT NULL UNIQUE,        -- secret in the annotator's link
  order_json TEXT NOT NULL,               -- item numbers in this annotator's own order
  PRIMARY KEY (study, annotator)
) STRICT;

CREATE TABLE study_answers (
  study       TEXT NOT NULL,
  annotator   INTEGER NOT NULL,
  item        INTEGER NOT NULL,
  judgment    TEXT NOT NULL CHECK (judgment IN ('human', 'simulator')),
  confidence  INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 5),
  comment     TEXT NOT NULL DEFAULT '',
  answered_at TEXT NOT NULL,
  PRIMARY KEY (study, annotator, item),
  FOREIGN KEY (study, annotator) REFERENCES study_annotators (study, annotator) ON DELETE CASCADE,
  FOREIGN KEY (study, item) REFERENCES study_items (study, item) ON DELETE CASCADE
) STRICT;

-- Runs list filtered by status; newest first.
CREATE INDEX runs_status_created ON runs (status, created_at);
CREATE INDEX runs_created ON runs (created_at);
-- Run pages read episode numbers without touching transcripts (messages_json sits in overflow pages).
CREATE INDEX episodes_run_numbers ON episodes (run_id, ordinal, termination, reward, fidelity_flags, user_turns,
  prompt_tokens, completion_tokens, llm_calls, task_id, persona_key, id);
CREATE INDEX llm_calls_run_id ON llm_calls (run_id, id);
CREATE INDEX llm_calls_status_id ON llm_calls (status, id);
CREATE INDEX persona_programs_created ON persona_programs (created_at, sha256);
CREATE INDEX persona_tasks_program ON persona_tasks (program_sha, run_id);
