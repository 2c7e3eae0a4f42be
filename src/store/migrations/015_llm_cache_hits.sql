-- Answers a run took from the archive instead of a server (the LLM cache, rw or ro): llm_calls holds only
-- what was asked of a server, so without these a run that reused earlier answers could not say which
-- recorded answers it depends on (`ppol bundle` copies them with the run). One row per run and request.
CREATE TABLE llm_cache_hits (
  run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  request_hash TEXT NOT NULL,
  role         TEXT NOT NULL,
  PRIMARY KEY (run_id, request_hash)
) STRICT, WITHOUT ROWID;
