-- LLM record/replay and accounting (src/llm). One row per attempt; the canonical request once per hash.
-- Long message texts and tool lists, stored once: a conversation resends its whole history every turn.
CREATE TABLE llm_blobs (
  hash TEXT PRIMARY KEY,                  -- sha256 of text
  text TEXT NOT NULL
) STRICT;

CREATE TABLE llm_requests (
  hash         TEXT PRIMARY KEY,          -- sha256 of the canonical request (endpoint- and model-free)
  role         TEXT NOT NULL,
  request_json TEXT NOT NULL,             -- the canonical request with long texts as {"$blob": hash} (see src/llm/cache.ts)
  created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE llm_calls (
  id                INTEGER PRIMARY KEY,
  run_id            TEXT REFERENCES runs (id) ON DELETE SET NULL,
  request_hash      TEXT NOT NULL REFERENCES llm_requests (hash),
  role              TEXT NOT NULL,
  attempt           INTEGER NOT NULL,     -- 1-based attempt within one logical call
  endpoint          TEXT NOT NULL,        -- endpoint name in the config that served (or refused) it
  base_url          TEXT NOT NULL,        -- without credentials
  model             TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('ok', 'error')),
  error_kind        TEXT,                 -- rate_limited | server | connection | timeout | bad_response | client | circuit_open
  error             TEXT,
  response_json     TEXT,                 -- normalised, replayable answer (content, toolCalls, finishReason, usage, repairs)
  raw_json          TEXT,                 -- the server's message, kept only when normalisation changed something
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  latency_ms        REAL NOT NULL,
  streamed          INTEGER NOT NULL DEFAULT 0,
  created_at        TEXT NOT NULL
) STRICT;
CREATE INDEX llm_calls_hash ON llm_calls (request_hash, status);
CREATE INDEX llm_calls_run ON llm_calls (run_id);
