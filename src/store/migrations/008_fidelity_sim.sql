-- Method fidelity, simulator side (issue 10).
-- Episodes record the attempts whose agent/user output τ² could not parse (the episode is re-run after
-- each, as the PPol reference does) and which user-simulator guidelines text they were given.
ALTER TABLE episodes ADD COLUMN retries_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE episodes ADD COLUMN user_guidelines_sha256 TEXT;  -- NULL: recorded before this migration
-- Persona checks beyond the reference's (word counts, missing description, …) are warnings kept with
-- the persona, no longer reasons to reject it.
ALTER TABLE personas ADD COLUMN warnings_json TEXT NOT NULL DEFAULT '[]';
-- tau2_files now also holds the optional user_simulator/simulation_guidelines.md and tool_schemas.json of an import.
