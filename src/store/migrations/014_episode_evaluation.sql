-- Whether an episode was scored: 'evaluated'; 'not_evaluated' (a basis component nobody could check, e.g.
-- NL assertions without a judge); 'failed' (the evaluation or the fidelity judge raised, e.g. a judge call
-- that failed for good). Failed episodes are counted apart and redone by --resume.
ALTER TABLE episodes ADD COLUMN evaluation TEXT NOT NULL DEFAULT 'evaluated' CHECK (evaluation IN ('evaluated', 'not_evaluated', 'failed'));
UPDATE episodes SET evaluation = 'failed' WHERE reward IS NULL AND json_extract(reward_json, '$.error') LIKE 'evaluation failed%';
UPDATE episodes SET evaluation = 'not_evaluated' WHERE reward IS NULL AND evaluation = 'evaluated' AND termination <> 'infrastructure_error';
-- The run page's totals stay an index-only read with the new column (see 011).
DROP INDEX IF EXISTS episodes_run_numbers;
CREATE INDEX episodes_run_numbers ON episodes (run_id, ordinal, termination, reward, evaluation, fidelity_flags, user_turns,
  prompt_tokens, completion_tokens, llm_calls, task_id, persona_key, id);
