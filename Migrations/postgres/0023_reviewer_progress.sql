-- The queue's "N done today" reads a reviewer's decisions of the last two days (issue 34): by
-- reviewer, then time, so it reads only those rows.
-- Keep in step with ../sqlite/0023_reviewer_progress.sql.
CREATE INDEX generated_emails_reviewer_day ON generated_emails (reviewer_id, reviewed_at);
