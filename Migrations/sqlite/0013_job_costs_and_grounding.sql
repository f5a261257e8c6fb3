-- A job's cost and cache use: each model call names the batch it drafted for, and each email
-- how many company-level answers it looked up in the cache and found there.
ALTER TABLE model_calls ADD COLUMN batch_id BIGINT REFERENCES contact_batches(id) ON DELETE SET NULL;
CREATE INDEX model_calls_batch ON model_calls (batch_id);
ALTER TABLE generated_emails ADD COLUMN cache_hits BIGINT NOT NULL DEFAULT 0;
ALTER TABLE generated_emails ADD COLUMN cache_lookups BIGINT NOT NULL DEFAULT 0;
-- The grounding check: the words of a model-written variable that neither the contact,
-- its website nor the context pack supports, as a JSON list; NULL when nothing was checked.
ALTER TABLE generated_emails ADD COLUMN grounding_json TEXT;
