-- A reviewer may edit the subject too (issue 34): the subject they wrote, NULL while the draft's
-- stands. An edit of the subject alone keeps the text as `final_body`, so "edited" stays
-- `final_body IS NOT NULL` everywhere (rollups, evidence, exports).
-- Keep in step with ../postgres/0024_final_subject.sql.
ALTER TABLE generated_emails ADD COLUMN final_subject TEXT;
