-- migrate: foreign keys off
-- Imports write a batch a chunk at a time, each chunk in its own transaction: the batch is
-- 'importing' (its contacts are not ready to draft) until the last chunk is in, then 'imported'.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt the way SQLite documents
-- (https://sqlite.org/lang_altertable.html#otheralter). That needs foreign-key enforcement off, or
-- dropping the old table would cascade to contacts and drafts: the marker line above asks the
-- migrator for it, and it checks every reference before committing.
-- Keep in step with ../postgres/0005_importing_batches.sql.

CREATE TABLE contact_batches_0005 (
    id INTEGER PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    template_id BIGINT NOT NULL REFERENCES templates(id),
    file_name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('importing', 'imported', 'generating', 'generated', 'failed')),
    rows_total BIGINT NOT NULL,
    rows_imported BIGINT NOT NULL,
    rows_skipped BIGINT NOT NULL,
    skipped_json TEXT NOT NULL DEFAULT '[]',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    generated_at BIGINT
);

INSERT INTO contact_batches_0005 (id, client_id, template_id, file_name, status, rows_total, rows_imported, rows_skipped, skipped_json, created_by, created_at, generated_at)
SELECT id, client_id, template_id, file_name, status, rows_total, rows_imported, rows_skipped, skipped_json, created_by, created_at, generated_at FROM contact_batches;

DROP TABLE contact_batches;

ALTER TABLE contact_batches_0005 RENAME TO contact_batches;
