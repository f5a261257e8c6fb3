-- The daily rollup that the dashboard and the analytics API read: per
-- client and per day in the client's time zone, counters kept in step with the emails and the review
-- events by triggers. `daily_counts` has one row per client and day: drafts made that day (how many,
-- auto-approved, score total, by status now, by 10-point score band) and human decisions taken that
-- day (rejections by reason; review times by bucket, `time_N` counting those from N seconds to the
-- next bucket). `daily_reviews` has one row per reviewer and day. Its rubber-stamp columns
-- (`fast_approvals`: approvals in under 5 s; runs of approvals without an edit or a rejection)
-- follow the review events: they record what the reviewer did, even if a manager later undid it.
-- `monthly_counts` and `monthly_reviews` hold the same per month, for long ranges (a month's
-- longest run is the longest of its days).
-- `greenlight_local_day(millis, zone)` is the client's day of an instant (a Swift function on
-- SQLite, SQL on PostgreSQL).
DROP TABLE daily_analytics;

CREATE TABLE daily_counts (
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    generated BIGINT NOT NULL DEFAULT 0,
    auto_approved BIGINT NOT NULL DEFAULT 0,
    score_sum BIGINT NOT NULL DEFAULT 0,
    status_pending_review BIGINT NOT NULL DEFAULT 0,
    status_approved BIGINT NOT NULL DEFAULT 0,
    status_approved_edited BIGINT NOT NULL DEFAULT 0,
    status_approved_auto BIGINT NOT NULL DEFAULT 0,
    status_rejected BIGINT NOT NULL DEFAULT 0,
    status_sent BIGINT NOT NULL DEFAULT 0,
    status_sampled BIGINT NOT NULL DEFAULT 0,
    band_0 BIGINT NOT NULL DEFAULT 0,
    band_1 BIGINT NOT NULL DEFAULT 0,
    band_2 BIGINT NOT NULL DEFAULT 0,
    band_3 BIGINT NOT NULL DEFAULT 0,
    band_4 BIGINT NOT NULL DEFAULT 0,
    band_5 BIGINT NOT NULL DEFAULT 0,
    band_6 BIGINT NOT NULL DEFAULT 0,
    band_7 BIGINT NOT NULL DEFAULT 0,
    band_8 BIGINT NOT NULL DEFAULT 0,
    band_9 BIGINT NOT NULL DEFAULT 0,
    decided_approved BIGINT NOT NULL DEFAULT 0,
    decided_edited BIGINT NOT NULL DEFAULT 0,
    decided_rejected BIGINT NOT NULL DEFAULT 0,
    review_ms_sum BIGINT NOT NULL DEFAULT 0,
    review_ms_count BIGINT NOT NULL DEFAULT 0,
    reason_wrong_persona BIGINT NOT NULL DEFAULT 0,
    reason_incorrect_competitor BIGINT NOT NULL DEFAULT 0,
    reason_grammar_issues BIGINT NOT NULL DEFAULT 0,
    reason_tone_too_corporate BIGINT NOT NULL DEFAULT 0,
    reason_incorrect_info BIGINT NOT NULL DEFAULT 0,
    reason_low_quality BIGINT NOT NULL DEFAULT 0,
    reason_other BIGINT NOT NULL DEFAULT 0,
    time_0 BIGINT NOT NULL DEFAULT 0,
    time_3 BIGINT NOT NULL DEFAULT 0,
    time_5 BIGINT NOT NULL DEFAULT 0,
    time_10 BIGINT NOT NULL DEFAULT 0,
    time_15 BIGINT NOT NULL DEFAULT 0,
    time_20 BIGINT NOT NULL DEFAULT 0,
    time_30 BIGINT NOT NULL DEFAULT 0,
    time_45 BIGINT NOT NULL DEFAULT 0,
    time_60 BIGINT NOT NULL DEFAULT 0,
    time_90 BIGINT NOT NULL DEFAULT 0,
    time_120 BIGINT NOT NULL DEFAULT 0,
    time_180 BIGINT NOT NULL DEFAULT 0,
    time_300 BIGINT NOT NULL DEFAULT 0,
    time_600 BIGINT NOT NULL DEFAULT 0,
    time_1800 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (client_id, day)
);

-- The same counters per client and month (`YYYY-MM` of the local day), following daily_counts by
-- trigger, so a year is read as twelve rows per client plus the days at its edges.
CREATE TABLE monthly_counts (
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    generated BIGINT NOT NULL DEFAULT 0,
    auto_approved BIGINT NOT NULL DEFAULT 0,
    score_sum BIGINT NOT NULL DEFAULT 0,
    status_pending_review BIGINT NOT NULL DEFAULT 0,
    status_approved BIGINT NOT NULL DEFAULT 0,
    status_approved_edited BIGINT NOT NULL DEFAULT 0,
    status_approved_auto BIGINT NOT NULL DEFAULT 0,
    status_rejected BIGINT NOT NULL DEFAULT 0,
    status_sent BIGINT NOT NULL DEFAULT 0,
    status_sampled BIGINT NOT NULL DEFAULT 0,
    band_0 BIGINT NOT NULL DEFAULT 0,
    band_1 BIGINT NOT NULL DEFAULT 0,
    band_2 BIGINT NOT NULL DEFAULT 0,
    band_3 BIGINT NOT NULL DEFAULT 0,
    band_4 BIGINT NOT NULL DEFAULT 0,
    band_5 BIGINT NOT NULL DEFAULT 0,
    band_6 BIGINT NOT NULL DEFAULT 0,
    band_7 BIGINT NOT NULL DEFAULT 0,
    band_8 BIGINT NOT NULL DEFAULT 0,
    band_9 BIGINT NOT NULL DEFAULT 0,
    decided_approved BIGINT NOT NULL DEFAULT 0,
    decided_edited BIGINT NOT NULL DEFAULT 0,
    decided_rejected BIGINT NOT NULL DEFAULT 0,
    review_ms_sum BIGINT NOT NULL DEFAULT 0,
    review_ms_count BIGINT NOT NULL DEFAULT 0,
    reason_wrong_persona BIGINT NOT NULL DEFAULT 0,
    reason_incorrect_competitor BIGINT NOT NULL DEFAULT 0,
    reason_grammar_issues BIGINT NOT NULL DEFAULT 0,
    reason_tone_too_corporate BIGINT NOT NULL DEFAULT 0,
    reason_incorrect_info BIGINT NOT NULL DEFAULT 0,
    reason_low_quality BIGINT NOT NULL DEFAULT 0,
    reason_other BIGINT NOT NULL DEFAULT 0,
    time_0 BIGINT NOT NULL DEFAULT 0,
    time_3 BIGINT NOT NULL DEFAULT 0,
    time_5 BIGINT NOT NULL DEFAULT 0,
    time_10 BIGINT NOT NULL DEFAULT 0,
    time_15 BIGINT NOT NULL DEFAULT 0,
    time_20 BIGINT NOT NULL DEFAULT 0,
    time_30 BIGINT NOT NULL DEFAULT 0,
    time_45 BIGINT NOT NULL DEFAULT 0,
    time_60 BIGINT NOT NULL DEFAULT 0,
    time_90 BIGINT NOT NULL DEFAULT 0,
    time_120 BIGINT NOT NULL DEFAULT 0,
    time_180 BIGINT NOT NULL DEFAULT 0,
    time_300 BIGINT NOT NULL DEFAULT 0,
    time_600 BIGINT NOT NULL DEFAULT 0,
    time_1800 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (client_id, month)
);

CREATE TABLE monthly_reviews (
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    reviewer_id BIGINT NOT NULL,
    reviewer_name TEXT NOT NULL,
    approved BIGINT NOT NULL DEFAULT 0,
    edited BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    review_ms_sum BIGINT NOT NULL DEFAULT 0,
    review_ms_count BIGINT NOT NULL DEFAULT 0,
    fast_approvals BIGINT NOT NULL DEFAULT 0,
    longest_run BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (client_id, month, reviewer_id, reviewer_name)
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

-- What one email adds to the rollup: a row for the client's day it was made (the draft counters)
-- and, once a human decided it, a row for the day of the decision (reason and review-time counters).
-- The triggers below add an email's rows when it is written and take them away before it changes,
-- so the rollup follows every path (decisions, bulk, undo, the gate, export) in the same
-- transaction; `DailyRollup.rebuild` sums the same views from scratch.
CREATE VIEW rollup_email_counts AS
SELECT e.id AS email_id, e.client_id AS client_id, greenlight_local_day(e.created_at, c.timezone) AS day,
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
FROM generated_emails e JOIN clients c ON c.id = e.client_id
UNION ALL
SELECT e.id, e.client_id, greenlight_local_day(e.reviewed_at, c.timezone),
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    CASE WHEN e.status = 'rejected' OR (e.status = 'approved_edited' OR (e.status = 'sent' AND e.final_body IS NOT NULL)) THEN 0 ELSE 1 END AS decided_approved,
    CASE WHEN (e.status = 'approved_edited' OR (e.status = 'sent' AND e.final_body IS NOT NULL)) THEN 1 ELSE 0 END AS decided_edited,
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
FROM generated_emails e JOIN clients c ON c.id = e.client_id
WHERE e.reviewer_name IS NOT NULL AND e.reviewed_at IS NOT NULL AND e.status IN ('approved', 'approved_edited', 'rejected', 'sent');

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
INSERT INTO daily_counts AS t (client_id, day, generated, auto_approved, score_sum, status_pending_review, status_approved, status_approved_edited, status_approved_auto, status_rejected, status_sent, status_sampled, band_0, band_1, band_2, band_3, band_4, band_5, band_6, band_7, band_8, band_9, decided_approved, decided_edited, decided_rejected, review_ms_sum, review_ms_count, reason_wrong_persona, reason_incorrect_competitor, reason_grammar_issues, reason_tone_too_corporate, reason_incorrect_info, reason_low_quality, reason_other, time_0, time_3, time_5, time_10, time_15, time_20, time_30, time_45, time_60, time_90, time_120, time_180, time_300, time_600, time_1800)
    SELECT client_id, day, sign * SUM(generated), sign * SUM(auto_approved), sign * SUM(score_sum), sign * SUM(status_pending_review), sign * SUM(status_approved), sign * SUM(status_approved_edited), sign * SUM(status_approved_auto), sign * SUM(status_rejected), sign * SUM(status_sent), sign * SUM(status_sampled), sign * SUM(band_0), sign * SUM(band_1), sign * SUM(band_2), sign * SUM(band_3), sign * SUM(band_4), sign * SUM(band_5), sign * SUM(band_6), sign * SUM(band_7), sign * SUM(band_8), sign * SUM(band_9), sign * SUM(decided_approved), sign * SUM(decided_edited), sign * SUM(decided_rejected), sign * SUM(review_ms_sum), sign * SUM(review_ms_count), sign * SUM(reason_wrong_persona), sign * SUM(reason_incorrect_competitor), sign * SUM(reason_grammar_issues), sign * SUM(reason_tone_too_corporate), sign * SUM(reason_incorrect_info), sign * SUM(reason_low_quality), sign * SUM(reason_other), sign * SUM(time_0), sign * SUM(time_3), sign * SUM(time_5), sign * SUM(time_10), sign * SUM(time_15), sign * SUM(time_20), sign * SUM(time_30), sign * SUM(time_45), sign * SUM(time_60), sign * SUM(time_90), sign * SUM(time_120), sign * SUM(time_180), sign * SUM(time_300), sign * SUM(time_600), sign * SUM(time_1800)
    FROM rollup_email_counts WHERE email_id = email GROUP BY client_id, day
    ON CONFLICT (client_id, day) DO UPDATE SET generated = t.generated + excluded.generated, auto_approved = t.auto_approved + excluded.auto_approved, score_sum = t.score_sum + excluded.score_sum, status_pending_review = t.status_pending_review + excluded.status_pending_review, status_approved = t.status_approved + excluded.status_approved, status_approved_edited = t.status_approved_edited + excluded.status_approved_edited, status_approved_auto = t.status_approved_auto + excluded.status_approved_auto, status_rejected = t.status_rejected + excluded.status_rejected, status_sent = t.status_sent + excluded.status_sent, status_sampled = t.status_sampled + excluded.status_sampled, band_0 = t.band_0 + excluded.band_0, band_1 = t.band_1 + excluded.band_1, band_2 = t.band_2 + excluded.band_2, band_3 = t.band_3 + excluded.band_3, band_4 = t.band_4 + excluded.band_4, band_5 = t.band_5 + excluded.band_5, band_6 = t.band_6 + excluded.band_6, band_7 = t.band_7 + excluded.band_7, band_8 = t.band_8 + excluded.band_8, band_9 = t.band_9 + excluded.band_9, decided_approved = t.decided_approved + excluded.decided_approved, decided_edited = t.decided_edited + excluded.decided_edited, decided_rejected = t.decided_rejected + excluded.decided_rejected, review_ms_sum = t.review_ms_sum + excluded.review_ms_sum, review_ms_count = t.review_ms_count + excluded.review_ms_count, reason_wrong_persona = t.reason_wrong_persona + excluded.reason_wrong_persona, reason_incorrect_competitor = t.reason_incorrect_competitor + excluded.reason_incorrect_competitor, reason_grammar_issues = t.reason_grammar_issues + excluded.reason_grammar_issues, reason_tone_too_corporate = t.reason_tone_too_corporate + excluded.reason_tone_too_corporate, reason_incorrect_info = t.reason_incorrect_info + excluded.reason_incorrect_info, reason_low_quality = t.reason_low_quality + excluded.reason_low_quality, reason_other = t.reason_other + excluded.reason_other, time_0 = t.time_0 + excluded.time_0, time_3 = t.time_3 + excluded.time_3, time_5 = t.time_5 + excluded.time_5, time_10 = t.time_10 + excluded.time_10, time_15 = t.time_15 + excluded.time_15, time_20 = t.time_20 + excluded.time_20, time_30 = t.time_30 + excluded.time_30, time_45 = t.time_45 + excluded.time_45, time_60 = t.time_60 + excluded.time_60, time_90 = t.time_90 + excluded.time_90, time_120 = t.time_120 + excluded.time_120, time_180 = t.time_180 + excluded.time_180, time_300 = t.time_300 + excluded.time_300, time_600 = t.time_600 + excluded.time_600, time_1800 = t.time_1800 + excluded.time_1800;
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

CREATE FUNCTION rollup_month_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO monthly_counts AS t (client_id, month, generated, auto_approved, score_sum, status_pending_review, status_approved, status_approved_edited, status_approved_auto, status_rejected, status_sent, status_sampled, band_0, band_1, band_2, band_3, band_4, band_5, band_6, band_7, band_8, band_9, decided_approved, decided_edited, decided_rejected, review_ms_sum, review_ms_count, reason_wrong_persona, reason_incorrect_competitor, reason_grammar_issues, reason_tone_too_corporate, reason_incorrect_info, reason_low_quality, reason_other, time_0, time_3, time_5, time_10, time_15, time_20, time_30, time_45, time_60, time_90, time_120, time_180, time_300, time_600, time_1800)
            VALUES (NEW.client_id, substr(NEW.day, 1, 7), NEW.generated, NEW.auto_approved, NEW.score_sum, NEW.status_pending_review, NEW.status_approved, NEW.status_approved_edited, NEW.status_approved_auto, NEW.status_rejected, NEW.status_sent, NEW.status_sampled, NEW.band_0, NEW.band_1, NEW.band_2, NEW.band_3, NEW.band_4, NEW.band_5, NEW.band_6, NEW.band_7, NEW.band_8, NEW.band_9, NEW.decided_approved, NEW.decided_edited, NEW.decided_rejected, NEW.review_ms_sum, NEW.review_ms_count, NEW.reason_wrong_persona, NEW.reason_incorrect_competitor, NEW.reason_grammar_issues, NEW.reason_tone_too_corporate, NEW.reason_incorrect_info, NEW.reason_low_quality, NEW.reason_other, NEW.time_0, NEW.time_3, NEW.time_5, NEW.time_10, NEW.time_15, NEW.time_20, NEW.time_30, NEW.time_45, NEW.time_60, NEW.time_90, NEW.time_120, NEW.time_180, NEW.time_300, NEW.time_600, NEW.time_1800)
            ON CONFLICT (client_id, month) DO UPDATE SET generated = t.generated + excluded.generated, auto_approved = t.auto_approved + excluded.auto_approved, score_sum = t.score_sum + excluded.score_sum, status_pending_review = t.status_pending_review + excluded.status_pending_review, status_approved = t.status_approved + excluded.status_approved, status_approved_edited = t.status_approved_edited + excluded.status_approved_edited, status_approved_auto = t.status_approved_auto + excluded.status_approved_auto, status_rejected = t.status_rejected + excluded.status_rejected, status_sent = t.status_sent + excluded.status_sent, status_sampled = t.status_sampled + excluded.status_sampled, band_0 = t.band_0 + excluded.band_0, band_1 = t.band_1 + excluded.band_1, band_2 = t.band_2 + excluded.band_2, band_3 = t.band_3 + excluded.band_3, band_4 = t.band_4 + excluded.band_4, band_5 = t.band_5 + excluded.band_5, band_6 = t.band_6 + excluded.band_6, band_7 = t.band_7 + excluded.band_7, band_8 = t.band_8 + excluded.band_8, band_9 = t.band_9 + excluded.band_9, decided_approved = t.decided_approved + excluded.decided_approved, decided_edited = t.decided_edited + excluded.decided_edited, decided_rejected = t.decided_rejected + excluded.decided_rejected, review_ms_sum = t.review_ms_sum + excluded.review_ms_sum, review_ms_count = t.review_ms_count + excluded.review_ms_count, reason_wrong_persona = t.reason_wrong_persona + excluded.reason_wrong_persona, reason_incorrect_competitor = t.reason_incorrect_competitor + excluded.reason_incorrect_competitor, reason_grammar_issues = t.reason_grammar_issues + excluded.reason_grammar_issues, reason_tone_too_corporate = t.reason_tone_too_corporate + excluded.reason_tone_too_corporate, reason_incorrect_info = t.reason_incorrect_info + excluded.reason_incorrect_info, reason_low_quality = t.reason_low_quality + excluded.reason_low_quality, reason_other = t.reason_other + excluded.reason_other, time_0 = t.time_0 + excluded.time_0, time_3 = t.time_3 + excluded.time_3, time_5 = t.time_5 + excluded.time_5, time_10 = t.time_10 + excluded.time_10, time_15 = t.time_15 + excluded.time_15, time_20 = t.time_20 + excluded.time_20, time_30 = t.time_30 + excluded.time_30, time_45 = t.time_45 + excluded.time_45, time_60 = t.time_60 + excluded.time_60, time_90 = t.time_90 + excluded.time_90, time_120 = t.time_120 + excluded.time_120, time_180 = t.time_180 + excluded.time_180, time_300 = t.time_300 + excluded.time_300, time_600 = t.time_600 + excluded.time_600, time_1800 = t.time_1800 + excluded.time_1800;
    ELSE
        INSERT INTO monthly_counts AS t (client_id, month, generated, auto_approved, score_sum, status_pending_review, status_approved, status_approved_edited, status_approved_auto, status_rejected, status_sent, status_sampled, band_0, band_1, band_2, band_3, band_4, band_5, band_6, band_7, band_8, band_9, decided_approved, decided_edited, decided_rejected, review_ms_sum, review_ms_count, reason_wrong_persona, reason_incorrect_competitor, reason_grammar_issues, reason_tone_too_corporate, reason_incorrect_info, reason_low_quality, reason_other, time_0, time_3, time_5, time_10, time_15, time_20, time_30, time_45, time_60, time_90, time_120, time_180, time_300, time_600, time_1800)
            VALUES (NEW.client_id, substr(NEW.day, 1, 7), NEW.generated - OLD.generated, NEW.auto_approved - OLD.auto_approved, NEW.score_sum - OLD.score_sum, NEW.status_pending_review - OLD.status_pending_review, NEW.status_approved - OLD.status_approved, NEW.status_approved_edited - OLD.status_approved_edited, NEW.status_approved_auto - OLD.status_approved_auto, NEW.status_rejected - OLD.status_rejected, NEW.status_sent - OLD.status_sent, NEW.status_sampled - OLD.status_sampled, NEW.band_0 - OLD.band_0, NEW.band_1 - OLD.band_1, NEW.band_2 - OLD.band_2, NEW.band_3 - OLD.band_3, NEW.band_4 - OLD.band_4, NEW.band_5 - OLD.band_5, NEW.band_6 - OLD.band_6, NEW.band_7 - OLD.band_7, NEW.band_8 - OLD.band_8, NEW.band_9 - OLD.band_9, NEW.decided_approved - OLD.decided_approved, NEW.decided_edited - OLD.decided_edited, NEW.decided_rejected - OLD.decided_rejected, NEW.review_ms_sum - OLD.review_ms_sum, NEW.review_ms_count - OLD.review_ms_count, NEW.reason_wrong_persona - OLD.reason_wrong_persona, NEW.reason_incorrect_competitor - OLD.reason_incorrect_competitor, NEW.reason_grammar_issues - OLD.reason_grammar_issues, NEW.reason_tone_too_corporate - OLD.reason_tone_too_corporate, NEW.reason_incorrect_info - OLD.reason_incorrect_info, NEW.reason_low_quality - OLD.reason_low_quality, NEW.reason_other - OLD.reason_other, NEW.time_0 - OLD.time_0, NEW.time_3 - OLD.time_3, NEW.time_5 - OLD.time_5, NEW.time_10 - OLD.time_10, NEW.time_15 - OLD.time_15, NEW.time_20 - OLD.time_20, NEW.time_30 - OLD.time_30, NEW.time_45 - OLD.time_45, NEW.time_60 - OLD.time_60, NEW.time_90 - OLD.time_90, NEW.time_120 - OLD.time_120, NEW.time_180 - OLD.time_180, NEW.time_300 - OLD.time_300, NEW.time_600 - OLD.time_600, NEW.time_1800 - OLD.time_1800)
            ON CONFLICT (client_id, month) DO UPDATE SET generated = t.generated + excluded.generated, auto_approved = t.auto_approved + excluded.auto_approved, score_sum = t.score_sum + excluded.score_sum, status_pending_review = t.status_pending_review + excluded.status_pending_review, status_approved = t.status_approved + excluded.status_approved, status_approved_edited = t.status_approved_edited + excluded.status_approved_edited, status_approved_auto = t.status_approved_auto + excluded.status_approved_auto, status_rejected = t.status_rejected + excluded.status_rejected, status_sent = t.status_sent + excluded.status_sent, status_sampled = t.status_sampled + excluded.status_sampled, band_0 = t.band_0 + excluded.band_0, band_1 = t.band_1 + excluded.band_1, band_2 = t.band_2 + excluded.band_2, band_3 = t.band_3 + excluded.band_3, band_4 = t.band_4 + excluded.band_4, band_5 = t.band_5 + excluded.band_5, band_6 = t.band_6 + excluded.band_6, band_7 = t.band_7 + excluded.band_7, band_8 = t.band_8 + excluded.band_8, band_9 = t.band_9 + excluded.band_9, decided_approved = t.decided_approved + excluded.decided_approved, decided_edited = t.decided_edited + excluded.decided_edited, decided_rejected = t.decided_rejected + excluded.decided_rejected, review_ms_sum = t.review_ms_sum + excluded.review_ms_sum, review_ms_count = t.review_ms_count + excluded.review_ms_count, reason_wrong_persona = t.reason_wrong_persona + excluded.reason_wrong_persona, reason_incorrect_competitor = t.reason_incorrect_competitor + excluded.reason_incorrect_competitor, reason_grammar_issues = t.reason_grammar_issues + excluded.reason_grammar_issues, reason_tone_too_corporate = t.reason_tone_too_corporate + excluded.reason_tone_too_corporate, reason_incorrect_info = t.reason_incorrect_info + excluded.reason_incorrect_info, reason_low_quality = t.reason_low_quality + excluded.reason_low_quality, reason_other = t.reason_other + excluded.reason_other, time_0 = t.time_0 + excluded.time_0, time_3 = t.time_3 + excluded.time_3, time_5 = t.time_5 + excluded.time_5, time_10 = t.time_10 + excluded.time_10, time_15 = t.time_15 + excluded.time_15, time_20 = t.time_20 + excluded.time_20, time_30 = t.time_30 + excluded.time_30, time_45 = t.time_45 + excluded.time_45, time_60 = t.time_60 + excluded.time_60, time_90 = t.time_90 + excluded.time_90, time_120 = t.time_120 + excluded.time_120, time_180 = t.time_180 + excluded.time_180, time_300 = t.time_300 + excluded.time_300, time_600 = t.time_600 + excluded.time_600, time_1800 = t.time_1800 + excluded.time_1800;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER rollup_month AFTER INSERT OR UPDATE ON daily_counts
    FOR EACH ROW EXECUTE FUNCTION rollup_month_follow();

CREATE FUNCTION rollup_reviewer_month_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO monthly_reviews AS t (client_id, month, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count, fast_approvals, longest_run)
            VALUES (NEW.client_id, substr(NEW.day, 1, 7), NEW.reviewer_id, NEW.reviewer_name, NEW.approved, NEW.edited, NEW.rejected, NEW.review_ms_sum, NEW.review_ms_count, NEW.fast_approvals, NEW.longest_run)
            ON CONFLICT (client_id, month, reviewer_id, reviewer_name) DO UPDATE SET approved = t.approved + excluded.approved, edited = t.edited + excluded.edited, rejected = t.rejected + excluded.rejected, review_ms_sum = t.review_ms_sum + excluded.review_ms_sum, review_ms_count = t.review_ms_count + excluded.review_ms_count, fast_approvals = t.fast_approvals + excluded.fast_approvals, longest_run = GREATEST(t.longest_run, excluded.longest_run);
    ELSE
        INSERT INTO monthly_reviews AS t (client_id, month, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count, fast_approvals, longest_run)
            VALUES (NEW.client_id, substr(NEW.day, 1, 7), NEW.reviewer_id, NEW.reviewer_name, NEW.approved - OLD.approved, NEW.edited - OLD.edited, NEW.rejected - OLD.rejected, NEW.review_ms_sum - OLD.review_ms_sum, NEW.review_ms_count - OLD.review_ms_count, NEW.fast_approvals - OLD.fast_approvals, NEW.longest_run)
            ON CONFLICT (client_id, month, reviewer_id, reviewer_name) DO UPDATE SET approved = t.approved + excluded.approved, edited = t.edited + excluded.edited, rejected = t.rejected + excluded.rejected, review_ms_sum = t.review_ms_sum + excluded.review_ms_sum, review_ms_count = t.review_ms_count + excluded.review_ms_count, fast_approvals = t.fast_approvals + excluded.fast_approvals, longest_run = GREATEST(t.longest_run, excluded.longest_run);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER rollup_reviewer_month AFTER INSERT OR UPDATE ON daily_reviews
    FOR EACH ROW EXECUTE FUNCTION rollup_reviewer_month_follow();
