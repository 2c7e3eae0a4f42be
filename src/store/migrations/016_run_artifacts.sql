-- Files a run produced for people (a benchmark's report.md/json/csv and its SVG plots), kept in the
-- archive so the web UI and a colleague with the archive see them without the output folder.
CREATE TABLE run_artifacts (
  run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  content_type TEXT NOT NULL,
  body         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (run_id, name)
) STRICT;
