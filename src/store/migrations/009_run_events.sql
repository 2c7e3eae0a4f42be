-- Run status history: every status a run took, when (`ppol run show` prints it). Runs stored before this
-- migration get their creation and, when no longer running, their last status.
CREATE TABLE run_events (
  id      INTEGER PRIMARY KEY,
  run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  status  TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
  at      TEXT NOT NULL,
  note    TEXT
) STRICT;
CREATE INDEX run_events_run ON run_events (run_id, id);
INSERT INTO run_events (run_id, status, at) SELECT id, 'running', created_at FROM runs;
INSERT INTO run_events (run_id, status, at) SELECT id, status, updated_at FROM runs WHERE status <> 'running';
CREATE INDEX IF NOT EXISTS llm_calls_run_role ON llm_calls (run_id, role, model);
