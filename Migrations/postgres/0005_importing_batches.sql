-- Imports write a batch a chunk at a time, each chunk in its own transaction: the batch is
-- 'importing' (its contacts are not ready to draft) until the last chunk is in, then 'imported'.
-- Keep in step with ../sqlite/0005_importing_batches.sql (which rebuilds the table: SQLite cannot
-- change a CHECK constraint in place).

ALTER TABLE contact_batches DROP CONSTRAINT contact_batches_status_check;

ALTER TABLE contact_batches ADD CONSTRAINT contact_batches_status_check CHECK (status IN ('importing', 'imported', 'generating', 'generated', 'failed'));
