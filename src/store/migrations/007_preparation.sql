-- Method fidelity (issue 10): how each conversation set's turns were prepared, and with which preparation
-- and cue set each score was computed. Sets imported before this migration are marked as what they are:
-- τ-USI imports had every control turn stripped ('strip-control'); other formats were stored as read,
-- stop tokens included ('reference'). Preparation is idempotent, so ppol re-applies it when it loads them.
ALTER TABLE conversation_sets ADD COLUMN preparation TEXT NOT NULL DEFAULT 'reference' CHECK (preparation IN ('reference', 'strip-control'));
UPDATE conversation_sets SET preparation = 'strip-control' WHERE format = 'tau-usi';
ALTER TABLE scores ADD COLUMN preparation TEXT; -- NULL for scores computed before it was recorded
