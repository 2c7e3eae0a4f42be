-- Episodes: one row per finished τ² conversation, written in one transaction when it ends, so a killed
-- run loses only the episodes in flight and `--resume` skips every row already here.
CREATE TABLE episodes (
  id             TEXT PRIMARY KEY,
  run_id         TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  ordinal        INTEGER NOT NULL,          -- position in the run's deterministic plan
  domain         TEXT NOT NULL,
  task_id        TEXT NOT NULL,
  trial          INTEGER NOT NULL,
  persona_key    TEXT NOT NULL DEFAULT '',  -- '' = the base simulator (no persona)
  persona_text   TEXT,
  seed           INTEGER,
  agent_model    TEXT,
  user_model     TEXT,
  termination    TEXT NOT NULL,
  reward         REAL,                      -- NULL when a basis component was not evaluated (e.g. no NL judge)
  reward_json    TEXT NOT NULL,             -- components and what was (not) evaluated
  steps          INTEGER NOT NULL,
  tool_errors    INTEGER NOT NULL,
  user_turns     INTEGER NOT NULL,
  messages_json  TEXT NOT NULL,             -- full trajectory incl. tool calls and results
  fidelity_json  TEXT NOT NULL,
  fidelity_flags INTEGER NOT NULL,
  llm_calls      INTEGER NOT NULL,
  prompt_tokens  INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  error          TEXT,
  ms             REAL NOT NULL,
  created_at     TEXT NOT NULL,
  UNIQUE (run_id, task_id, trial, persona_key)
) STRICT;
CREATE INDEX episodes_run ON episodes (run_id, ordinal);
