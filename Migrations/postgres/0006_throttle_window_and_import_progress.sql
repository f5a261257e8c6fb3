-- Login throttle: failures older than the window are purged by updated_at.
CREATE INDEX login_attempts_updated ON login_attempts (updated_at);

-- An import in progress touches its batch after every chunk, so an import abandoned by a killed
-- process (still 'importing', no progress for minutes) can be told from one that is running.
ALTER TABLE contact_batches ADD COLUMN progress_at BIGINT;
