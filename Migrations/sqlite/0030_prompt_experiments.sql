-- Prompt experiments (issue 30): a client's agents are told its prompt version's instructions
-- (`prompt_name`, `prompt_instructions`; none by default). A manager may run one experiment at a
-- time per client: the current version (control) against a variant, each contact's arm picked by a
-- reproducible hash of its address and the experiment's seed, `variant_share_bp` of them (basis
-- points) on the variant. Each draft the agents write during it records its experiment and arm; the
-- comparison reads them. Ending it with a winner makes the winner the client's only version.
-- Keep in step with ../postgres/0030_prompt_experiments.sql.
ALTER TABLE clients ADD COLUMN prompt_name TEXT NOT NULL DEFAULT 'Standard';
ALTER TABLE clients ADD COLUMN prompt_instructions TEXT NOT NULL DEFAULT '';

CREATE TABLE prompt_experiments (
    id INTEGER PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    control_name TEXT NOT NULL,
    control_instructions TEXT NOT NULL,
    variant_name TEXT NOT NULL,
    variant_instructions TEXT NOT NULL,
    variant_share_bp BIGINT NOT NULL CHECK (variant_share_bp BETWEEN 1 AND 9999),
    seed TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    started_by TEXT NOT NULL,
    ended_at BIGINT,
    ended_by TEXT,
    winner TEXT CHECK (winner IN ('control', 'variant'))
);
CREATE UNIQUE INDEX prompt_experiments_running ON prompt_experiments (client_id) WHERE ended_at IS NULL;

ALTER TABLE generated_emails ADD COLUMN experiment_id BIGINT REFERENCES prompt_experiments(id) ON DELETE SET NULL;
ALTER TABLE generated_emails ADD COLUMN experiment_arm TEXT;
CREATE INDEX generated_emails_experiment ON generated_emails (experiment_id, experiment_arm) WHERE experiment_id IS NOT NULL;
