-- Drafting as background jobs: a batch queued for the workers (`queued_at`), and each contact's
-- lease while a worker drafts it — claimed by a conditional update (with FOR UPDATE SKIP LOCKED on
-- PostgreSQL, so instances share a batch), taken over by another worker once it runs out.
ALTER TABLE contact_batches ADD COLUMN queued_at BIGINT;
ALTER TABLE contacts ADD COLUMN lease_owner TEXT;
ALTER TABLE contacts ADD COLUMN lease_expires_at BIGINT;
