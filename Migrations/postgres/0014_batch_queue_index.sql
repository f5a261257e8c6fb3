-- A batch's emails in queue order per status: the queue filtered by batch (the link from an import's
-- report) walks one status at a time in order and stops after a page, instead of reading the whole
-- queue for the batch's few emails. It replaces the index on batch_id alone, which it also serves.
DROP INDEX generated_emails_batch;
CREATE INDEX generated_emails_batch_queue ON generated_emails (batch_id, status, quality_score, created_at, id);
