-- The rollup leaves the decision's transaction (issue 17: 1,000 decisions/s). Until now, triggers
-- on generated_emails took each changed email's old counts out of the daily rollup and put its new
-- counts in, in the same transaction: about nine upserts into 50-column rows per decision, 45 % of
-- PostgreSQL's work and the reason SQLite's decisions fell from 991/s to 300/s.
-- Now a change to an email appends its old and new values (the inputs of the counts, not the counts)
-- to `rollup_log`, one narrow row each with sign -1 and +1. `RollupLog.fold` sums a batch of log
-- rows through the same counting views, adds the sums to daily_counts and daily_reviews (a few
-- grouped upserts for thousands of changes), and deletes the rows it folded, in one transaction;
-- the counts are additive, so any batch gives the same totals. The server folds every second, and
-- the dashboard folds what is left before it reads, so its figures stay exact.
-- Review events go the same way: the trigger that added each approval, edit or rejection to its
-- reviewer's runs and fast approvals (an upsert, and its month's, in every decision) now appends the
-- event to `rollup_event_log`; the fold continues each reviewer's run from the stored one, in the
-- events' order. Decisions no longer write any rollup row, so they never wait for a fold.

CREATE TABLE rollup_log (
    id BIGSERIAL PRIMARY KEY,
    sign BIGINT NOT NULL,
    email_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    gate_outcome TEXT,
    quality_score BIGINT NOT NULL,
    reviewer_id BIGINT,
    reviewer_name TEXT,
    reviewed_at BIGINT,
    review_ms BIGINT,
    rejection_reason TEXT,
    edited BIGINT NOT NULL
);

CREATE TABLE rollup_event_log (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    reviewer_id BIGINT NOT NULL,
    reviewer_name TEXT NOT NULL,
    action TEXT NOT NULL,
    review_ms BIGINT
);

-- The counts of each log row: the views of migration 0008 read from the log instead of the emails
-- (`edited` stands for `final_body IS NOT NULL`); a row of a deleted client counts nowhere.

CREATE VIEW rollup_log_counts AS
SELECT e.id AS log_id, e.sign AS sign, e.client_id AS client_id, greenlight_local_day(e.created_at, c.timezone) AS day,
    1 AS generated,
    CASE WHEN e.gate_outcome = 'auto' THEN 1 ELSE 0 END AS auto_approved,
    e.quality_score AS score_sum,
    CASE WHEN e.status = 'pending_review' THEN 1 ELSE 0 END AS status_pending_review,
    CASE WHEN e.status = 'approved' THEN 1 ELSE 0 END AS status_approved,
    CASE WHEN e.status = 'approved_edited' THEN 1 ELSE 0 END AS status_approved_edited,
    CASE WHEN e.status = 'approved_auto' THEN 1 ELSE 0 END AS status_approved_auto,
    CASE WHEN e.status = 'rejected' THEN 1 ELSE 0 END AS status_rejected,
    CASE WHEN e.status = 'sent' THEN 1 ELSE 0 END AS status_sent,
    CASE WHEN e.status = 'sampled' THEN 1 ELSE 0 END AS status_sampled,
    CASE WHEN e.quality_score / 10 = 0 THEN 1 ELSE 0 END AS band_0,
    CASE WHEN e.quality_score / 10 = 1 THEN 1 ELSE 0 END AS band_1,
    CASE WHEN e.quality_score / 10 = 2 THEN 1 ELSE 0 END AS band_2,
    CASE WHEN e.quality_score / 10 = 3 THEN 1 ELSE 0 END AS band_3,
    CASE WHEN e.quality_score / 10 = 4 THEN 1 ELSE 0 END AS band_4,
    CASE WHEN e.quality_score / 10 = 5 THEN 1 ELSE 0 END AS band_5,
    CASE WHEN e.quality_score / 10 = 6 THEN 1 ELSE 0 END AS band_6,
    CASE WHEN e.quality_score / 10 = 7 THEN 1 ELSE 0 END AS band_7,
    CASE WHEN e.quality_score / 10 = 8 THEN 1 ELSE 0 END AS band_8,
    CASE WHEN e.quality_score >= 90 THEN 1 ELSE 0 END AS band_9,
    0 AS decided_approved, 0 AS decided_edited, 0 AS decided_rejected, 0 AS review_ms_sum, 0 AS review_ms_count, 0 AS reason_wrong_persona, 0 AS reason_incorrect_competitor, 0 AS reason_grammar_issues, 0 AS reason_tone_too_corporate, 0 AS reason_incorrect_info, 0 AS reason_low_quality, 0 AS reason_other, 0 AS time_0, 0 AS time_3, 0 AS time_5, 0 AS time_10, 0 AS time_15, 0 AS time_20, 0 AS time_30, 0 AS time_45, 0 AS time_60, 0 AS time_90, 0 AS time_120, 0 AS time_180, 0 AS time_300, 0 AS time_600, 0 AS time_1800
FROM rollup_log e JOIN clients c ON c.id = e.client_id
UNION ALL
SELECT e.id, e.sign, e.client_id, greenlight_local_day(e.reviewed_at, c.timezone),
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    CASE WHEN e.status = 'rejected' OR (e.status = 'approved_edited' OR (e.status = 'sent' AND e.edited = 1)) THEN 0 ELSE 1 END AS decided_approved,
    CASE WHEN (e.status = 'approved_edited' OR (e.status = 'sent' AND e.edited = 1)) THEN 1 ELSE 0 END AS decided_edited,
    CASE WHEN e.status = 'rejected' THEN 1 ELSE 0 END AS decided_rejected,
    COALESCE(e.review_ms, 0) AS review_ms_sum,
    CASE WHEN e.review_ms IS NULL THEN 0 ELSE 1 END AS review_ms_count,
    CASE WHEN e.status = 'rejected' AND e.rejection_reason = 'wrong_persona' THEN 1 ELSE 0 END AS reason_wrong_persona,
    CASE WHEN e.status = 'rejected' AND e.rejection_reason = 'incorrect_competitor' THEN 1 ELSE 0 END AS reason_incorrect_competitor,
    CASE WHEN e.status = 'rejected' AND e.rejection_reason = 'grammar_issues' THEN 1 ELSE 0 END AS reason_grammar_issues,
    CASE WHEN e.status = 'rejected' AND e.rejection_reason = 'tone_too_corporate' THEN 1 ELSE 0 END AS reason_tone_too_corporate,
    CASE WHEN e.status = 'rejected' AND e.rejection_reason = 'incorrect_info' THEN 1 ELSE 0 END AS reason_incorrect_info,
    CASE WHEN e.status = 'rejected' AND e.rejection_reason = 'low_quality' THEN 1 ELSE 0 END AS reason_low_quality,
    CASE WHEN e.status = 'rejected' AND (e.rejection_reason IS NULL OR e.rejection_reason NOT IN ('wrong_persona', 'incorrect_competitor', 'grammar_issues', 'tone_too_corporate', 'incorrect_info', 'low_quality')) THEN 1 ELSE 0 END AS reason_other,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 0 THEN 1 ELSE 0 END AS time_0,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 3 THEN 1 ELSE 0 END AS time_3,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 5 THEN 1 ELSE 0 END AS time_5,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 10 THEN 1 ELSE 0 END AS time_10,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 15 THEN 1 ELSE 0 END AS time_15,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 20 THEN 1 ELSE 0 END AS time_20,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 30 THEN 1 ELSE 0 END AS time_30,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 45 THEN 1 ELSE 0 END AS time_45,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 60 THEN 1 ELSE 0 END AS time_60,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 90 THEN 1 ELSE 0 END AS time_90,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 120 THEN 1 ELSE 0 END AS time_120,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 180 THEN 1 ELSE 0 END AS time_180,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 300 THEN 1 ELSE 0 END AS time_300,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 600 THEN 1 ELSE 0 END AS time_600,
    CASE WHEN e.review_ms IS NOT NULL AND (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END) = 1800 THEN 1 ELSE 0 END AS time_1800
FROM rollup_log e JOIN clients c ON c.id = e.client_id
WHERE e.reviewer_name IS NOT NULL AND e.reviewed_at IS NOT NULL AND e.status IN ('approved', 'approved_edited', 'rejected', 'sent');

CREATE VIEW rollup_log_reviews AS
SELECT e.id AS log_id, e.sign AS sign, e.client_id AS client_id, greenlight_local_day(e.reviewed_at, c.timezone) AS day, COALESCE(e.reviewer_id, 0) AS reviewer_id, e.reviewer_name AS reviewer_name,
    CASE WHEN e.status = 'rejected' OR (e.status = 'approved_edited' OR (e.status = 'sent' AND e.edited = 1)) THEN 0 ELSE 1 END AS approved,
    CASE WHEN (e.status = 'approved_edited' OR (e.status = 'sent' AND e.edited = 1)) THEN 1 ELSE 0 END AS edited,
    CASE WHEN e.status = 'rejected' THEN 1 ELSE 0 END AS rejected,
    COALESCE(e.review_ms, 0) AS review_ms_sum,
    CASE WHEN e.review_ms IS NULL THEN 0 ELSE 1 END AS review_ms_count
FROM rollup_log e JOIN clients c ON c.id = e.client_id
WHERE e.reviewer_name IS NOT NULL AND e.reviewed_at IS NOT NULL AND e.status IN ('approved', 'approved_edited', 'rejected', 'sent');

DROP TRIGGER rollup_email_changing ON generated_emails;
DROP TRIGGER rollup_email_changed ON generated_emails;
DROP FUNCTION rollup_email_before_change();
DROP FUNCTION rollup_email_after_change();
DROP FUNCTION rollup_email_count(BIGINT, BIGINT);
DROP VIEW rollup_email_counts;
DROP VIEW rollup_email_reviews;

CREATE FUNCTION rollup_email_logged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO rollup_log (sign, email_id, client_id, created_at, status, gate_outcome, quality_score, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason, edited) VALUES (1, NEW.id, NEW.client_id, NEW.created_at, NEW.status, NEW.gate_outcome, NEW.quality_score, NEW.reviewer_id, NEW.reviewer_name, NEW.reviewed_at, NEW.review_ms, NEW.rejection_reason, CASE WHEN NEW.final_body IS NULL THEN 0 ELSE 1 END);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO rollup_log (sign, email_id, client_id, created_at, status, gate_outcome, quality_score, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason, edited) VALUES (-1, OLD.id, OLD.client_id, OLD.created_at, OLD.status, OLD.gate_outcome, OLD.quality_score, OLD.reviewer_id, OLD.reviewer_name, OLD.reviewed_at, OLD.review_ms, OLD.rejection_reason, CASE WHEN OLD.final_body IS NULL THEN 0 ELSE 1 END);
    ELSE
        INSERT INTO rollup_log (sign, email_id, client_id, created_at, status, gate_outcome, quality_score, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason, edited) VALUES (-1, OLD.id, OLD.client_id, OLD.created_at, OLD.status, OLD.gate_outcome, OLD.quality_score, OLD.reviewer_id, OLD.reviewer_name, OLD.reviewed_at, OLD.review_ms, OLD.rejection_reason, CASE WHEN OLD.final_body IS NULL THEN 0 ELSE 1 END), (1, NEW.id, NEW.client_id, NEW.created_at, NEW.status, NEW.gate_outcome, NEW.quality_score, NEW.reviewer_id, NEW.reviewer_name, NEW.reviewed_at, NEW.review_ms, NEW.rejection_reason, CASE WHEN NEW.final_body IS NULL THEN 0 ELSE 1 END);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER rollup_email_logged AFTER INSERT OR UPDATE OF status, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason, final_body, quality_score, gate_outcome, created_at, client_id OR DELETE ON generated_emails
    FOR EACH ROW EXECUTE FUNCTION rollup_email_logged();

DROP TRIGGER rollup_review_event ON review_events;
DROP FUNCTION rollup_review_event_added();

CREATE FUNCTION rollup_event_logged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollup_event_log (event_id, client_id, created_at, reviewer_id, reviewer_name, action, review_ms) VALUES (NEW.id, NEW.client_id, NEW.created_at, COALESCE(NEW.user_id, 0), NEW.actor_name, NEW.action, NEW.review_ms);
    RETURN NULL;
END
$$;

CREATE TRIGGER rollup_event_logged AFTER INSERT ON review_events
    FOR EACH ROW WHEN (NEW.action IN ('approve', 'edit', 'reject')) EXECUTE FUNCTION rollup_event_logged();
