-- The daily rollup (SPEC §1 daily analytics) that the dashboard and the analytics API read: per
-- client and per day in the client's time zone, counters kept in step with the emails and the review
-- events by triggers. `daily_counts` holds one row per measure (`generated`, `auto`, `score`,
-- `status:<status>`, `band:<0-9>` by the day a draft was made; `reason:<code>` and `time:<seconds>` —
-- the lower bound of a review-time bucket — by the day a human decided); `daily_reviews` one row per
-- reviewer and day. The rubber-stamp columns (`fast_approvals`: approvals in under 5 s; the runs of
-- approvals without an edit or a rejection) follow the review events: they record what the reviewer
-- did, even if a manager later undid it. `greenlight_local_day(millis, zone)` is the client's day of
-- an instant (a Swift function on SQLite, SQL on PostgreSQL).
DROP TABLE daily_analytics;

CREATE TABLE daily_counts (
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    measure TEXT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (client_id, day, measure)
);

CREATE TABLE daily_reviews (
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    reviewer_id BIGINT NOT NULL,
    reviewer_name TEXT NOT NULL,
    approved BIGINT NOT NULL DEFAULT 0,
    edited BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    review_ms_sum BIGINT NOT NULL DEFAULT 0,
    review_ms_count BIGINT NOT NULL DEFAULT 0,
    fast_approvals BIGINT NOT NULL DEFAULT 0,
    approve_run BIGINT NOT NULL DEFAULT 0,
    longest_run BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (client_id, day, reviewer_id, reviewer_name)
);

CREATE FUNCTION greenlight_local_day(millis BIGINT, zone TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT to_char(to_timestamp(millis / 1000.0) AT TIME ZONE zone, 'YYYY-MM-DD')
$$;

-- What one email adds to the rollup: drafts by the client's day they were made, human decisions by
-- the day they were taken. The triggers below add an email's rows when it is written and take them
-- away before it changes, so the rollup follows every path (decisions, bulk, undo, the gate,
-- export) in the same transaction; `DailyRollup.rebuild` sums the same views from scratch.
CREATE VIEW rollup_email_counts AS
SELECT e.id AS email_id, e.client_id AS client_id, greenlight_local_day(e.created_at, c.timezone) AS day, 'generated' AS measure, 1 AS n FROM generated_emails e JOIN clients c ON c.id = e.client_id
UNION ALL SELECT e.id, e.client_id, greenlight_local_day(e.created_at, c.timezone), 'status:' || e.status, 1 FROM generated_emails e JOIN clients c ON c.id = e.client_id
UNION ALL SELECT e.id, e.client_id, greenlight_local_day(e.created_at, c.timezone), 'band:' || (CASE WHEN e.quality_score >= 90 THEN 9 ELSE e.quality_score / 10 END), 1 FROM generated_emails e JOIN clients c ON c.id = e.client_id
UNION ALL SELECT e.id, e.client_id, greenlight_local_day(e.created_at, c.timezone), 'score', e.quality_score FROM generated_emails e JOIN clients c ON c.id = e.client_id
UNION ALL SELECT e.id, e.client_id, greenlight_local_day(e.created_at, c.timezone), 'auto', 1 FROM generated_emails e JOIN clients c ON c.id = e.client_id WHERE e.gate_outcome = 'auto'
UNION ALL SELECT e.id, e.client_id, greenlight_local_day(e.reviewed_at, c.timezone), 'reason:' || COALESCE(e.rejection_reason, 'other'), 1 FROM generated_emails e JOIN clients c ON c.id = e.client_id
    WHERE e.status = 'rejected' AND e.reviewer_name IS NOT NULL AND e.reviewed_at IS NOT NULL AND e.status IN ('approved', 'approved_edited', 'rejected', 'sent')
UNION ALL SELECT e.id, e.client_id, greenlight_local_day(e.reviewed_at, c.timezone), 'time:' || (CASE WHEN e.review_ms < 3000 THEN 0 WHEN e.review_ms < 5000 THEN 3 WHEN e.review_ms < 10000 THEN 5 WHEN e.review_ms < 15000 THEN 10 WHEN e.review_ms < 20000 THEN 15 WHEN e.review_ms < 30000 THEN 20 WHEN e.review_ms < 45000 THEN 30 WHEN e.review_ms < 60000 THEN 45 WHEN e.review_ms < 90000 THEN 60 WHEN e.review_ms < 120000 THEN 90 WHEN e.review_ms < 180000 THEN 120 WHEN e.review_ms < 300000 THEN 180 WHEN e.review_ms < 600000 THEN 300 WHEN e.review_ms < 1800000 THEN 600 ELSE 1800 END), 1 FROM generated_emails e JOIN clients c ON c.id = e.client_id
    WHERE e.review_ms IS NOT NULL AND e.reviewer_name IS NOT NULL AND e.reviewed_at IS NOT NULL AND e.status IN ('approved', 'approved_edited', 'rejected', 'sent');

CREATE VIEW rollup_email_reviews AS
SELECT e.id AS email_id, e.client_id AS client_id, greenlight_local_day(e.reviewed_at, c.timezone) AS day, COALESCE(e.reviewer_id, 0) AS reviewer_id, e.reviewer_name AS reviewer_name,
    CASE WHEN e.status = 'rejected' OR (e.status = 'approved_edited' OR (e.status = 'sent' AND e.final_body IS NOT NULL)) THEN 0 ELSE 1 END AS approved,
    CASE WHEN (e.status = 'approved_edited' OR (e.status = 'sent' AND e.final_body IS NOT NULL)) THEN 1 ELSE 0 END AS edited,
    CASE WHEN e.status = 'rejected' THEN 1 ELSE 0 END AS rejected,
    COALESCE(e.review_ms, 0) AS review_ms_sum,
    CASE WHEN e.review_ms IS NULL THEN 0 ELSE 1 END AS review_ms_count
FROM generated_emails e JOIN clients c ON c.id = e.client_id
WHERE e.reviewer_name IS NOT NULL AND e.reviewed_at IS NOT NULL AND e.status IN ('approved', 'approved_edited', 'rejected', 'sent');

CREATE FUNCTION rollup_email_count(email BIGINT, sign BIGINT) RETURNS void LANGUAGE sql AS $$
INSERT INTO daily_counts AS t (client_id, day, measure, n)
    SELECT client_id, day, measure, sign * n FROM rollup_email_counts WHERE email_id = email
    ON CONFLICT (client_id, day, measure) DO UPDATE SET n = t.n + excluded.n;
INSERT INTO daily_reviews AS t (client_id, day, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count)
    SELECT client_id, day, reviewer_id, reviewer_name, sign * approved, sign * edited, sign * rejected, sign * review_ms_sum, sign * review_ms_count
    FROM rollup_email_reviews WHERE email_id = email
    ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET approved = t.approved + excluded.approved,
    edited = t.edited + excluded.edited, rejected = t.rejected + excluded.rejected,
    review_ms_sum = t.review_ms_sum + excluded.review_ms_sum, review_ms_count = t.review_ms_count + excluded.review_ms_count;
$$;

CREATE FUNCTION rollup_email_before_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rollup_email_count(OLD.id, -1);
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION rollup_email_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rollup_email_count(NEW.id, 1);
    RETURN NULL;
END
$$;

CREATE TRIGGER rollup_email_changing BEFORE UPDATE OF status, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason, final_body, quality_score, gate_outcome, created_at, client_id OR DELETE ON generated_emails
    FOR EACH ROW EXECUTE FUNCTION rollup_email_before_change();

CREATE TRIGGER rollup_email_changed AFTER INSERT OR UPDATE OF status, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason, final_body, quality_score, gate_outcome, created_at, client_id ON generated_emails
    FOR EACH ROW EXECUTE FUNCTION rollup_email_after_change();

CREATE FUNCTION rollup_review_event_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO daily_reviews AS t (client_id, day, reviewer_id, reviewer_name, fast_approvals, approve_run, longest_run)
        SELECT NEW.client_id, greenlight_local_day(NEW.created_at, c.timezone), COALESCE(NEW.user_id, 0), NEW.actor_name,
            CASE WHEN NEW.action = 'approve' AND NEW.review_ms < 5000 THEN 1 ELSE 0 END,
            CASE WHEN NEW.action = 'approve' THEN 1 ELSE 0 END, CASE WHEN NEW.action = 'approve' THEN 1 ELSE 0 END
        FROM clients c WHERE c.id = NEW.client_id
        ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET
            fast_approvals = t.fast_approvals + excluded.fast_approvals,
            approve_run = CASE WHEN excluded.approve_run = 1 THEN t.approve_run + 1 ELSE 0 END,
            longest_run = GREATEST(t.longest_run, CASE WHEN excluded.approve_run = 1 THEN t.approve_run + 1 ELSE 0 END);
    RETURN NULL;
END
$$;

CREATE TRIGGER rollup_review_event AFTER INSERT ON review_events
    FOR EACH ROW WHEN (NEW.action IN ('approve', 'edit', 'reject')) EXECUTE FUNCTION rollup_review_event_added();
