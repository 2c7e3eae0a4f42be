-- Runs made by another run (an evolve run's evaluation and bootstrap runs, a benchmark's personas and simulate
-- runs, a simulate run's generated personas) name it, so run lists show the runs people started.
ALTER TABLE runs ADD COLUMN parent_id TEXT REFERENCES runs (id) ON DELETE SET NULL;
CREATE INDEX runs_parent ON runs (parent_id);
-- Sub-runs recorded before this migration, found by how their parents recorded them.
UPDATE runs SET parent_id = (SELECT e.run_id FROM evolve_evaluations e WHERE e.episodes_run_id = runs.id) WHERE parent_id IS NULL AND id IN (SELECT episodes_run_id FROM evolve_evaluations);
UPDATE runs SET parent_id = (SELECT b.run_id FROM evolve_bootstrap b WHERE b.base_run_id = runs.id) WHERE parent_id IS NULL AND id IN (SELECT base_run_id FROM evolve_bootstrap WHERE base_run_id IS NOT NULL);
