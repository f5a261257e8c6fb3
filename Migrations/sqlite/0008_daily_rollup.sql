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

CREATE TRIGGER rollup_email_inserted AFTER INSERT ON generated_emails BEGIN
    INSERT INTO daily_counts (client_id, day, generated, auto_approved, score_sum, status_pending_review, status_approved, status_approved_edited, status_approved_auto, status_rejected, status_sent, status_sampled, band_0, band_1, band_2, band_3, band_4, band_5, band_6, band_7, band_8, band_9, decided_approved, decided_edited, decided_rejected, review_ms_sum, review_ms_count, reason_wrong_persona, reason_incorrect_competitor, reason_grammar_issues, reason_tone_too_corporate, reason_incorrect_info, reason_low_quality, reason_other, time_0, time_3, time_5, time_10, time_15, time_20, time_30, time_45, time_60, time_90, time_120, time_180, time_300, time_600, time_1800)
        SELECT client_id, day, SUM(generated), SUM(auto_approved), SUM(score_sum), SUM(status_pending_review), SUM(status_approved), SUM(status_approved_edited), SUM(status_approved_auto), SUM(status_rejected), SUM(status_sent), SUM(status_sampled), SUM(band_0), SUM(band_1), SUM(band_2), SUM(band_3), SUM(band_4), SUM(band_5), SUM(band_6), SUM(band_7), SUM(band_8), SUM(band_9), SUM(decided_approved), SUM(decided_edited), SUM(decided_rejected), SUM(review_ms_sum), SUM(review_ms_count), SUM(reason_wrong_persona), SUM(reason_incorrect_competitor), SUM(reason_grammar_issues), SUM(reason_tone_too_corporate), SUM(reason_incorrect_info), SUM(reason_low_quality), SUM(reason_other), SUM(time_0), SUM(time_3), SUM(time_5), SUM(time_10), SUM(time_15), SUM(time_20), SUM(time_30), SUM(time_45), SUM(time_60), SUM(time_90), SUM(time_120), SUM(time_180), SUM(time_300), SUM(time_600), SUM(time_1800)
        FROM rollup_email_counts WHERE email_id = NEW.id GROUP BY client_id, day
        ON CONFLICT (client_id, day) DO UPDATE SET generated = daily_counts.generated + excluded.generated, auto_approved = daily_counts.auto_approved + excluded.auto_approved, score_sum = daily_counts.score_sum + excluded.score_sum, status_pending_review = daily_counts.status_pending_review + excluded.status_pending_review, status_approved = daily_counts.status_approved + excluded.status_approved, status_approved_edited = daily_counts.status_approved_edited + excluded.status_approved_edited, status_approved_auto = daily_counts.status_approved_auto + excluded.status_approved_auto, status_rejected = daily_counts.status_rejected + excluded.status_rejected, status_sent = daily_counts.status_sent + excluded.status_sent, status_sampled = daily_counts.status_sampled + excluded.status_sampled, band_0 = daily_counts.band_0 + excluded.band_0, band_1 = daily_counts.band_1 + excluded.band_1, band_2 = daily_counts.band_2 + excluded.band_2, band_3 = daily_counts.band_3 + excluded.band_3, band_4 = daily_counts.band_4 + excluded.band_4, band_5 = daily_counts.band_5 + excluded.band_5, band_6 = daily_counts.band_6 + excluded.band_6, band_7 = daily_counts.band_7 + excluded.band_7, band_8 = daily_counts.band_8 + excluded.band_8, band_9 = daily_counts.band_9 + excluded.band_9, decided_approved = daily_counts.decided_approved + excluded.decided_approved, decided_edited = daily_counts.decided_edited + excluded.decided_edited, decided_rejected = daily_counts.decided_rejected + excluded.decided_rejected, review_ms_sum = daily_counts.review_ms_sum + excluded.review_ms_sum, review_ms_count = daily_counts.review_ms_count + excluded.review_ms_count, reason_wrong_persona = daily_counts.reason_wrong_persona + excluded.reason_wrong_persona, reason_incorrect_competitor = daily_counts.reason_incorrect_competitor + excluded.reason_incorrect_competitor, reason_grammar_issues = daily_counts.reason_grammar_issues + excluded.reason_grammar_issues, reason_tone_too_corporate = daily_counts.reason_tone_too_corporate + excluded.reason_tone_too_corporate, reason_incorrect_info = daily_counts.reason_incorrect_info + excluded.reason_incorrect_info, reason_low_quality = daily_counts.reason_low_quality + excluded.reason_low_quality, reason_other = daily_counts.reason_other + excluded.reason_other, time_0 = daily_counts.time_0 + excluded.time_0, time_3 = daily_counts.time_3 + excluded.time_3, time_5 = daily_counts.time_5 + excluded.time_5, time_10 = daily_counts.time_10 + excluded.time_10, time_15 = daily_counts.time_15 + excluded.time_15, time_20 = daily_counts.time_20 + excluded.time_20, time_30 = daily_counts.time_30 + excluded.time_30, time_45 = daily_counts.time_45 + excluded.time_45, time_60 = daily_counts.time_60 + excluded.time_60, time_90 = daily_counts.time_90 + excluded.time_90, time_120 = daily_counts.time_120 + excluded.time_120, time_180 = daily_counts.time_180 + excluded.time_180, time_300 = daily_counts.time_300 + excluded.time_300, time_600 = daily_counts.time_600 + excluded.time_600, time_1800 = daily_counts.time_1800 + excluded.time_1800;
    INSERT INTO daily_reviews (client_id, day, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count)
        SELECT client_id, day, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count
        FROM rollup_email_reviews WHERE email_id = NEW.id
        ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET approved = daily_reviews.approved + excluded.approved,
        edited = daily_reviews.edited + excluded.edited, rejected = daily_reviews.rejected + excluded.rejected,
        review_ms_sum = daily_reviews.review_ms_sum + excluded.review_ms_sum, review_ms_count = daily_reviews.review_ms_count + excluded.review_ms_count;
END;

CREATE TRIGGER rollup_email_changing BEFORE UPDATE OF status, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason, final_body, quality_score, gate_outcome, created_at, client_id ON generated_emails BEGIN
    INSERT INTO daily_counts (client_id, day, generated, auto_approved, score_sum, status_pending_review, status_approved, status_approved_edited, status_approved_auto, status_rejected, status_sent, status_sampled, band_0, band_1, band_2, band_3, band_4, band_5, band_6, band_7, band_8, band_9, decided_approved, decided_edited, decided_rejected, review_ms_sum, review_ms_count, reason_wrong_persona, reason_incorrect_competitor, reason_grammar_issues, reason_tone_too_corporate, reason_incorrect_info, reason_low_quality, reason_other, time_0, time_3, time_5, time_10, time_15, time_20, time_30, time_45, time_60, time_90, time_120, time_180, time_300, time_600, time_1800)
        SELECT client_id, day, -SUM(generated), -SUM(auto_approved), -SUM(score_sum), -SUM(status_pending_review), -SUM(status_approved), -SUM(status_approved_edited), -SUM(status_approved_auto), -SUM(status_rejected), -SUM(status_sent), -SUM(status_sampled), -SUM(band_0), -SUM(band_1), -SUM(band_2), -SUM(band_3), -SUM(band_4), -SUM(band_5), -SUM(band_6), -SUM(band_7), -SUM(band_8), -SUM(band_9), -SUM(decided_approved), -SUM(decided_edited), -SUM(decided_rejected), -SUM(review_ms_sum), -SUM(review_ms_count), -SUM(reason_wrong_persona), -SUM(reason_incorrect_competitor), -SUM(reason_grammar_issues), -SUM(reason_tone_too_corporate), -SUM(reason_incorrect_info), -SUM(reason_low_quality), -SUM(reason_other), -SUM(time_0), -SUM(time_3), -SUM(time_5), -SUM(time_10), -SUM(time_15), -SUM(time_20), -SUM(time_30), -SUM(time_45), -SUM(time_60), -SUM(time_90), -SUM(time_120), -SUM(time_180), -SUM(time_300), -SUM(time_600), -SUM(time_1800)
        FROM rollup_email_counts WHERE email_id = OLD.id GROUP BY client_id, day
        ON CONFLICT (client_id, day) DO UPDATE SET generated = daily_counts.generated + excluded.generated, auto_approved = daily_counts.auto_approved + excluded.auto_approved, score_sum = daily_counts.score_sum + excluded.score_sum, status_pending_review = daily_counts.status_pending_review + excluded.status_pending_review, status_approved = daily_counts.status_approved + excluded.status_approved, status_approved_edited = daily_counts.status_approved_edited + excluded.status_approved_edited, status_approved_auto = daily_counts.status_approved_auto + excluded.status_approved_auto, status_rejected = daily_counts.status_rejected + excluded.status_rejected, status_sent = daily_counts.status_sent + excluded.status_sent, status_sampled = daily_counts.status_sampled + excluded.status_sampled, band_0 = daily_counts.band_0 + excluded.band_0, band_1 = daily_counts.band_1 + excluded.band_1, band_2 = daily_counts.band_2 + excluded.band_2, band_3 = daily_counts.band_3 + excluded.band_3, band_4 = daily_counts.band_4 + excluded.band_4, band_5 = daily_counts.band_5 + excluded.band_5, band_6 = daily_counts.band_6 + excluded.band_6, band_7 = daily_counts.band_7 + excluded.band_7, band_8 = daily_counts.band_8 + excluded.band_8, band_9 = daily_counts.band_9 + excluded.band_9, decided_approved = daily_counts.decided_approved + excluded.decided_approved, decided_edited = daily_counts.decided_edited + excluded.decided_edited, decided_rejected = daily_counts.decided_rejected + excluded.decided_rejected, review_ms_sum = daily_counts.review_ms_sum + excluded.review_ms_sum, review_ms_count = daily_counts.review_ms_count + excluded.review_ms_count, reason_wrong_persona = daily_counts.reason_wrong_persona + excluded.reason_wrong_persona, reason_incorrect_competitor = daily_counts.reason_incorrect_competitor + excluded.reason_incorrect_competitor, reason_grammar_issues = daily_counts.reason_grammar_issues + excluded.reason_grammar_issues, reason_tone_too_corporate = daily_counts.reason_tone_too_corporate + excluded.reason_tone_too_corporate, reason_incorrect_info = daily_counts.reason_incorrect_info + excluded.reason_incorrect_info, reason_low_quality = daily_counts.reason_low_quality + excluded.reason_low_quality, reason_other = daily_counts.reason_other + excluded.reason_other, time_0 = daily_counts.time_0 + excluded.time_0, time_3 = daily_counts.time_3 + excluded.time_3, time_5 = daily_counts.time_5 + excluded.time_5, time_10 = daily_counts.time_10 + excluded.time_10, time_15 = daily_counts.time_15 + excluded.time_15, time_20 = daily_counts.time_20 + excluded.time_20, time_30 = daily_counts.time_30 + excluded.time_30, time_45 = daily_counts.time_45 + excluded.time_45, time_60 = daily_counts.time_60 + excluded.time_60, time_90 = daily_counts.time_90 + excluded.time_90, time_120 = daily_counts.time_120 + excluded.time_120, time_180 = daily_counts.time_180 + excluded.time_180, time_300 = daily_counts.time_300 + excluded.time_300, time_600 = daily_counts.time_600 + excluded.time_600, time_1800 = daily_counts.time_1800 + excluded.time_1800;
    INSERT INTO daily_reviews (client_id, day, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count)
        SELECT client_id, day, reviewer_id, reviewer_name, -approved, -edited, -rejected, -review_ms_sum, -review_ms_count
        FROM rollup_email_reviews WHERE email_id = OLD.id
        ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET approved = daily_reviews.approved + excluded.approved,
        edited = daily_reviews.edited + excluded.edited, rejected = daily_reviews.rejected + excluded.rejected,
        review_ms_sum = daily_reviews.review_ms_sum + excluded.review_ms_sum, review_ms_count = daily_reviews.review_ms_count + excluded.review_ms_count;
END;

CREATE TRIGGER rollup_email_changed AFTER UPDATE OF status, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason, final_body, quality_score, gate_outcome, created_at, client_id ON generated_emails BEGIN
    INSERT INTO daily_counts (client_id, day, generated, auto_approved, score_sum, status_pending_review, status_approved, status_approved_edited, status_approved_auto, status_rejected, status_sent, status_sampled, band_0, band_1, band_2, band_3, band_4, band_5, band_6, band_7, band_8, band_9, decided_approved, decided_edited, decided_rejected, review_ms_sum, review_ms_count, reason_wrong_persona, reason_incorrect_competitor, reason_grammar_issues, reason_tone_too_corporate, reason_incorrect_info, reason_low_quality, reason_other, time_0, time_3, time_5, time_10, time_15, time_20, time_30, time_45, time_60, time_90, time_120, time_180, time_300, time_600, time_1800)
        SELECT client_id, day, SUM(generated), SUM(auto_approved), SUM(score_sum), SUM(status_pending_review), SUM(status_approved), SUM(status_approved_edited), SUM(status_approved_auto), SUM(status_rejected), SUM(status_sent), SUM(status_sampled), SUM(band_0), SUM(band_1), SUM(band_2), SUM(band_3), SUM(band_4), SUM(band_5), SUM(band_6), SUM(band_7), SUM(band_8), SUM(band_9), SUM(decided_approved), SUM(decided_edited), SUM(decided_rejected), SUM(review_ms_sum), SUM(review_ms_count), SUM(reason_wrong_persona), SUM(reason_incorrect_competitor), SUM(reason_grammar_issues), SUM(reason_tone_too_corporate), SUM(reason_incorrect_info), SUM(reason_low_quality), SUM(reason_other), SUM(time_0), SUM(time_3), SUM(time_5), SUM(time_10), SUM(time_15), SUM(time_20), SUM(time_30), SUM(time_45), SUM(time_60), SUM(time_90), SUM(time_120), SUM(time_180), SUM(time_300), SUM(time_600), SUM(time_1800)
        FROM rollup_email_counts WHERE email_id = NEW.id GROUP BY client_id, day
        ON CONFLICT (client_id, day) DO UPDATE SET generated = daily_counts.generated + excluded.generated, auto_approved = daily_counts.auto_approved + excluded.auto_approved, score_sum = daily_counts.score_sum + excluded.score_sum, status_pending_review = daily_counts.status_pending_review + excluded.status_pending_review, status_approved = daily_counts.status_approved + excluded.status_approved, status_approved_edited = daily_counts.status_approved_edited + excluded.status_approved_edited, status_approved_auto = daily_counts.status_approved_auto + excluded.status_approved_auto, status_rejected = daily_counts.status_rejected + excluded.status_rejected, status_sent = daily_counts.status_sent + excluded.status_sent, status_sampled = daily_counts.status_sampled + excluded.status_sampled, band_0 = daily_counts.band_0 + excluded.band_0, band_1 = daily_counts.band_1 + excluded.band_1, band_2 = daily_counts.band_2 + excluded.band_2, band_3 = daily_counts.band_3 + excluded.band_3, band_4 = daily_counts.band_4 + excluded.band_4, band_5 = daily_counts.band_5 + excluded.band_5, band_6 = daily_counts.band_6 + excluded.band_6, band_7 = daily_counts.band_7 + excluded.band_7, band_8 = daily_counts.band_8 + excluded.band_8, band_9 = daily_counts.band_9 + excluded.band_9, decided_approved = daily_counts.decided_approved + excluded.decided_approved, decided_edited = daily_counts.decided_edited + excluded.decided_edited, decided_rejected = daily_counts.decided_rejected + excluded.decided_rejected, review_ms_sum = daily_counts.review_ms_sum + excluded.review_ms_sum, review_ms_count = daily_counts.review_ms_count + excluded.review_ms_count, reason_wrong_persona = daily_counts.reason_wrong_persona + excluded.reason_wrong_persona, reason_incorrect_competitor = daily_counts.reason_incorrect_competitor + excluded.reason_incorrect_competitor, reason_grammar_issues = daily_counts.reason_grammar_issues + excluded.reason_grammar_issues, reason_tone_too_corporate = daily_counts.reason_tone_too_corporate + excluded.reason_tone_too_corporate, reason_incorrect_info = daily_counts.reason_incorrect_info + excluded.reason_incorrect_info, reason_low_quality = daily_counts.reason_low_quality + excluded.reason_low_quality, reason_other = daily_counts.reason_other + excluded.reason_other, time_0 = daily_counts.time_0 + excluded.time_0, time_3 = daily_counts.time_3 + excluded.time_3, time_5 = daily_counts.time_5 + excluded.time_5, time_10 = daily_counts.time_10 + excluded.time_10, time_15 = daily_counts.time_15 + excluded.time_15, time_20 = daily_counts.time_20 + excluded.time_20, time_30 = daily_counts.time_30 + excluded.time_30, time_45 = daily_counts.time_45 + excluded.time_45, time_60 = daily_counts.time_60 + excluded.time_60, time_90 = daily_counts.time_90 + excluded.time_90, time_120 = daily_counts.time_120 + excluded.time_120, time_180 = daily_counts.time_180 + excluded.time_180, time_300 = daily_counts.time_300 + excluded.time_300, time_600 = daily_counts.time_600 + excluded.time_600, time_1800 = daily_counts.time_1800 + excluded.time_1800;
    INSERT INTO daily_reviews (client_id, day, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count)
        SELECT client_id, day, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count
        FROM rollup_email_reviews WHERE email_id = NEW.id
        ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET approved = daily_reviews.approved + excluded.approved,
        edited = daily_reviews.edited + excluded.edited, rejected = daily_reviews.rejected + excluded.rejected,
        review_ms_sum = daily_reviews.review_ms_sum + excluded.review_ms_sum, review_ms_count = daily_reviews.review_ms_count + excluded.review_ms_count;
END;

CREATE TRIGGER rollup_email_deleting BEFORE DELETE ON generated_emails BEGIN
    INSERT INTO daily_counts (client_id, day, generated, auto_approved, score_sum, status_pending_review, status_approved, status_approved_edited, status_approved_auto, status_rejected, status_sent, status_sampled, band_0, band_1, band_2, band_3, band_4, band_5, band_6, band_7, band_8, band_9, decided_approved, decided_edited, decided_rejected, review_ms_sum, review_ms_count, reason_wrong_persona, reason_incorrect_competitor, reason_grammar_issues, reason_tone_too_corporate, reason_incorrect_info, reason_low_quality, reason_other, time_0, time_3, time_5, time_10, time_15, time_20, time_30, time_45, time_60, time_90, time_120, time_180, time_300, time_600, time_1800)
        SELECT client_id, day, -SUM(generated), -SUM(auto_approved), -SUM(score_sum), -SUM(status_pending_review), -SUM(status_approved), -SUM(status_approved_edited), -SUM(status_approved_auto), -SUM(status_rejected), -SUM(status_sent), -SUM(status_sampled), -SUM(band_0), -SUM(band_1), -SUM(band_2), -SUM(band_3), -SUM(band_4), -SUM(band_5), -SUM(band_6), -SUM(band_7), -SUM(band_8), -SUM(band_9), -SUM(decided_approved), -SUM(decided_edited), -SUM(decided_rejected), -SUM(review_ms_sum), -SUM(review_ms_count), -SUM(reason_wrong_persona), -SUM(reason_incorrect_competitor), -SUM(reason_grammar_issues), -SUM(reason_tone_too_corporate), -SUM(reason_incorrect_info), -SUM(reason_low_quality), -SUM(reason_other), -SUM(time_0), -SUM(time_3), -SUM(time_5), -SUM(time_10), -SUM(time_15), -SUM(time_20), -SUM(time_30), -SUM(time_45), -SUM(time_60), -SUM(time_90), -SUM(time_120), -SUM(time_180), -SUM(time_300), -SUM(time_600), -SUM(time_1800)
        FROM rollup_email_counts WHERE email_id = OLD.id GROUP BY client_id, day
        ON CONFLICT (client_id, day) DO UPDATE SET generated = daily_counts.generated + excluded.generated, auto_approved = daily_counts.auto_approved + excluded.auto_approved, score_sum = daily_counts.score_sum + excluded.score_sum, status_pending_review = daily_counts.status_pending_review + excluded.status_pending_review, status_approved = daily_counts.status_approved + excluded.status_approved, status_approved_edited = daily_counts.status_approved_edited + excluded.status_approved_edited, status_approved_auto = daily_counts.status_approved_auto + excluded.status_approved_auto, status_rejected = daily_counts.status_rejected + excluded.status_rejected, status_sent = daily_counts.status_sent + excluded.status_sent, status_sampled = daily_counts.status_sampled + excluded.status_sampled, band_0 = daily_counts.band_0 + excluded.band_0, band_1 = daily_counts.band_1 + excluded.band_1, band_2 = daily_counts.band_2 + excluded.band_2, band_3 = daily_counts.band_3 + excluded.band_3, band_4 = daily_counts.band_4 + excluded.band_4, band_5 = daily_counts.band_5 + excluded.band_5, band_6 = daily_counts.band_6 + excluded.band_6, band_7 = daily_counts.band_7 + excluded.band_7, band_8 = daily_counts.band_8 + excluded.band_8, band_9 = daily_counts.band_9 + excluded.band_9, decided_approved = daily_counts.decided_approved + excluded.decided_approved, decided_edited = daily_counts.decided_edited + excluded.decided_edited, decided_rejected = daily_counts.decided_rejected + excluded.decided_rejected, review_ms_sum = daily_counts.review_ms_sum + excluded.review_ms_sum, review_ms_count = daily_counts.review_ms_count + excluded.review_ms_count, reason_wrong_persona = daily_counts.reason_wrong_persona + excluded.reason_wrong_persona, reason_incorrect_competitor = daily_counts.reason_incorrect_competitor + excluded.reason_incorrect_competitor, reason_grammar_issues = daily_counts.reason_grammar_issues + excluded.reason_grammar_issues, reason_tone_too_corporate = daily_counts.reason_tone_too_corporate + excluded.reason_tone_too_corporate, reason_incorrect_info = daily_counts.reason_incorrect_info + excluded.reason_incorrect_info, reason_low_quality = daily_counts.reason_low_quality + excluded.reason_low_quality, reason_other = daily_counts.reason_other + excluded.reason_other, time_0 = daily_counts.time_0 + excluded.time_0, time_3 = daily_counts.time_3 + excluded.time_3, time_5 = daily_counts.time_5 + excluded.time_5, time_10 = daily_counts.time_10 + excluded.time_10, time_15 = daily_counts.time_15 + excluded.time_15, time_20 = daily_counts.time_20 + excluded.time_20, time_30 = daily_counts.time_30 + excluded.time_30, time_45 = daily_counts.time_45 + excluded.time_45, time_60 = daily_counts.time_60 + excluded.time_60, time_90 = daily_counts.time_90 + excluded.time_90, time_120 = daily_counts.time_120 + excluded.time_120, time_180 = daily_counts.time_180 + excluded.time_180, time_300 = daily_counts.time_300 + excluded.time_300, time_600 = daily_counts.time_600 + excluded.time_600, time_1800 = daily_counts.time_1800 + excluded.time_1800;
    INSERT INTO daily_reviews (client_id, day, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count)
        SELECT client_id, day, reviewer_id, reviewer_name, -approved, -edited, -rejected, -review_ms_sum, -review_ms_count
        FROM rollup_email_reviews WHERE email_id = OLD.id
        ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET approved = daily_reviews.approved + excluded.approved,
        edited = daily_reviews.edited + excluded.edited, rejected = daily_reviews.rejected + excluded.rejected,
        review_ms_sum = daily_reviews.review_ms_sum + excluded.review_ms_sum, review_ms_count = daily_reviews.review_ms_count + excluded.review_ms_count;
END;

CREATE TRIGGER rollup_review_event AFTER INSERT ON review_events WHEN NEW.action IN ('approve', 'edit', 'reject') BEGIN
    INSERT INTO daily_reviews (client_id, day, reviewer_id, reviewer_name, fast_approvals, approve_run, longest_run)
        SELECT NEW.client_id, greenlight_local_day(NEW.created_at, c.timezone), COALESCE(NEW.user_id, 0), NEW.actor_name,
            CASE WHEN NEW.action = 'approve' AND NEW.review_ms < 5000 THEN 1 ELSE 0 END,
            CASE WHEN NEW.action = 'approve' THEN 1 ELSE 0 END, CASE WHEN NEW.action = 'approve' THEN 1 ELSE 0 END
        FROM clients c WHERE c.id = NEW.client_id
        ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET
            fast_approvals = daily_reviews.fast_approvals + excluded.fast_approvals,
            approve_run = CASE WHEN excluded.approve_run = 1 THEN daily_reviews.approve_run + 1 ELSE 0 END,
            longest_run = MAX(daily_reviews.longest_run, CASE WHEN excluded.approve_run = 1 THEN daily_reviews.approve_run + 1 ELSE 0 END);
END;

CREATE TRIGGER rollup_month_added AFTER INSERT ON daily_counts BEGIN
    INSERT INTO monthly_counts (client_id, month, generated, auto_approved, score_sum, status_pending_review, status_approved, status_approved_edited, status_approved_auto, status_rejected, status_sent, status_sampled, band_0, band_1, band_2, band_3, band_4, band_5, band_6, band_7, band_8, band_9, decided_approved, decided_edited, decided_rejected, review_ms_sum, review_ms_count, reason_wrong_persona, reason_incorrect_competitor, reason_grammar_issues, reason_tone_too_corporate, reason_incorrect_info, reason_low_quality, reason_other, time_0, time_3, time_5, time_10, time_15, time_20, time_30, time_45, time_60, time_90, time_120, time_180, time_300, time_600, time_1800)
        VALUES (NEW.client_id, substr(NEW.day, 1, 7), NEW.generated, NEW.auto_approved, NEW.score_sum, NEW.status_pending_review, NEW.status_approved, NEW.status_approved_edited, NEW.status_approved_auto, NEW.status_rejected, NEW.status_sent, NEW.status_sampled, NEW.band_0, NEW.band_1, NEW.band_2, NEW.band_3, NEW.band_4, NEW.band_5, NEW.band_6, NEW.band_7, NEW.band_8, NEW.band_9, NEW.decided_approved, NEW.decided_edited, NEW.decided_rejected, NEW.review_ms_sum, NEW.review_ms_count, NEW.reason_wrong_persona, NEW.reason_incorrect_competitor, NEW.reason_grammar_issues, NEW.reason_tone_too_corporate, NEW.reason_incorrect_info, NEW.reason_low_quality, NEW.reason_other, NEW.time_0, NEW.time_3, NEW.time_5, NEW.time_10, NEW.time_15, NEW.time_20, NEW.time_30, NEW.time_45, NEW.time_60, NEW.time_90, NEW.time_120, NEW.time_180, NEW.time_300, NEW.time_600, NEW.time_1800)
        ON CONFLICT (client_id, month) DO UPDATE SET generated = monthly_counts.generated + excluded.generated, auto_approved = monthly_counts.auto_approved + excluded.auto_approved, score_sum = monthly_counts.score_sum + excluded.score_sum, status_pending_review = monthly_counts.status_pending_review + excluded.status_pending_review, status_approved = monthly_counts.status_approved + excluded.status_approved, status_approved_edited = monthly_counts.status_approved_edited + excluded.status_approved_edited, status_approved_auto = monthly_counts.status_approved_auto + excluded.status_approved_auto, status_rejected = monthly_counts.status_rejected + excluded.status_rejected, status_sent = monthly_counts.status_sent + excluded.status_sent, status_sampled = monthly_counts.status_sampled + excluded.status_sampled, band_0 = monthly_counts.band_0 + excluded.band_0, band_1 = monthly_counts.band_1 + excluded.band_1, band_2 = monthly_counts.band_2 + excluded.band_2, band_3 = monthly_counts.band_3 + excluded.band_3, band_4 = monthly_counts.band_4 + excluded.band_4, band_5 = monthly_counts.band_5 + excluded.band_5, band_6 = monthly_counts.band_6 + excluded.band_6, band_7 = monthly_counts.band_7 + excluded.band_7, band_8 = monthly_counts.band_8 + excluded.band_8, band_9 = monthly_counts.band_9 + excluded.band_9, decided_approved = monthly_counts.decided_approved + excluded.decided_approved, decided_edited = monthly_counts.decided_edited + excluded.decided_edited, decided_rejected = monthly_counts.decided_rejected + excluded.decided_rejected, review_ms_sum = monthly_counts.review_ms_sum + excluded.review_ms_sum, review_ms_count = monthly_counts.review_ms_count + excluded.review_ms_count, reason_wrong_persona = monthly_counts.reason_wrong_persona + excluded.reason_wrong_persona, reason_incorrect_competitor = monthly_counts.reason_incorrect_competitor + excluded.reason_incorrect_competitor, reason_grammar_issues = monthly_counts.reason_grammar_issues + excluded.reason_grammar_issues, reason_tone_too_corporate = monthly_counts.reason_tone_too_corporate + excluded.reason_tone_too_corporate, reason_incorrect_info = monthly_counts.reason_incorrect_info + excluded.reason_incorrect_info, reason_low_quality = monthly_counts.reason_low_quality + excluded.reason_low_quality, reason_other = monthly_counts.reason_other + excluded.reason_other, time_0 = monthly_counts.time_0 + excluded.time_0, time_3 = monthly_counts.time_3 + excluded.time_3, time_5 = monthly_counts.time_5 + excluded.time_5, time_10 = monthly_counts.time_10 + excluded.time_10, time_15 = monthly_counts.time_15 + excluded.time_15, time_20 = monthly_counts.time_20 + excluded.time_20, time_30 = monthly_counts.time_30 + excluded.time_30, time_45 = monthly_counts.time_45 + excluded.time_45, time_60 = monthly_counts.time_60 + excluded.time_60, time_90 = monthly_counts.time_90 + excluded.time_90, time_120 = monthly_counts.time_120 + excluded.time_120, time_180 = monthly_counts.time_180 + excluded.time_180, time_300 = monthly_counts.time_300 + excluded.time_300, time_600 = monthly_counts.time_600 + excluded.time_600, time_1800 = monthly_counts.time_1800 + excluded.time_1800;
END;

CREATE TRIGGER rollup_month_changed AFTER UPDATE ON daily_counts BEGIN
    INSERT INTO monthly_counts (client_id, month, generated, auto_approved, score_sum, status_pending_review, status_approved, status_approved_edited, status_approved_auto, status_rejected, status_sent, status_sampled, band_0, band_1, band_2, band_3, band_4, band_5, band_6, band_7, band_8, band_9, decided_approved, decided_edited, decided_rejected, review_ms_sum, review_ms_count, reason_wrong_persona, reason_incorrect_competitor, reason_grammar_issues, reason_tone_too_corporate, reason_incorrect_info, reason_low_quality, reason_other, time_0, time_3, time_5, time_10, time_15, time_20, time_30, time_45, time_60, time_90, time_120, time_180, time_300, time_600, time_1800)
        VALUES (NEW.client_id, substr(NEW.day, 1, 7), NEW.generated - OLD.generated, NEW.auto_approved - OLD.auto_approved, NEW.score_sum - OLD.score_sum, NEW.status_pending_review - OLD.status_pending_review, NEW.status_approved - OLD.status_approved, NEW.status_approved_edited - OLD.status_approved_edited, NEW.status_approved_auto - OLD.status_approved_auto, NEW.status_rejected - OLD.status_rejected, NEW.status_sent - OLD.status_sent, NEW.status_sampled - OLD.status_sampled, NEW.band_0 - OLD.band_0, NEW.band_1 - OLD.band_1, NEW.band_2 - OLD.band_2, NEW.band_3 - OLD.band_3, NEW.band_4 - OLD.band_4, NEW.band_5 - OLD.band_5, NEW.band_6 - OLD.band_6, NEW.band_7 - OLD.band_7, NEW.band_8 - OLD.band_8, NEW.band_9 - OLD.band_9, NEW.decided_approved - OLD.decided_approved, NEW.decided_edited - OLD.decided_edited, NEW.decided_rejected - OLD.decided_rejected, NEW.review_ms_sum - OLD.review_ms_sum, NEW.review_ms_count - OLD.review_ms_count, NEW.reason_wrong_persona - OLD.reason_wrong_persona, NEW.reason_incorrect_competitor - OLD.reason_incorrect_competitor, NEW.reason_grammar_issues - OLD.reason_grammar_issues, NEW.reason_tone_too_corporate - OLD.reason_tone_too_corporate, NEW.reason_incorrect_info - OLD.reason_incorrect_info, NEW.reason_low_quality - OLD.reason_low_quality, NEW.reason_other - OLD.reason_other, NEW.time_0 - OLD.time_0, NEW.time_3 - OLD.time_3, NEW.time_5 - OLD.time_5, NEW.time_10 - OLD.time_10, NEW.time_15 - OLD.time_15, NEW.time_20 - OLD.time_20, NEW.time_30 - OLD.time_30, NEW.time_45 - OLD.time_45, NEW.time_60 - OLD.time_60, NEW.time_90 - OLD.time_90, NEW.time_120 - OLD.time_120, NEW.time_180 - OLD.time_180, NEW.time_300 - OLD.time_300, NEW.time_600 - OLD.time_600, NEW.time_1800 - OLD.time_1800)
        ON CONFLICT (client_id, month) DO UPDATE SET generated = monthly_counts.generated + excluded.generated, auto_approved = monthly_counts.auto_approved + excluded.auto_approved, score_sum = monthly_counts.score_sum + excluded.score_sum, status_pending_review = monthly_counts.status_pending_review + excluded.status_pending_review, status_approved = monthly_counts.status_approved + excluded.status_approved, status_approved_edited = monthly_counts.status_approved_edited + excluded.status_approved_edited, status_approved_auto = monthly_counts.status_approved_auto + excluded.status_approved_auto, status_rejected = monthly_counts.status_rejected + excluded.status_rejected, status_sent = monthly_counts.status_sent + excluded.status_sent, status_sampled = monthly_counts.status_sampled + excluded.status_sampled, band_0 = monthly_counts.band_0 + excluded.band_0, band_1 = monthly_counts.band_1 + excluded.band_1, band_2 = monthly_counts.band_2 + excluded.band_2, band_3 = monthly_counts.band_3 + excluded.band_3, band_4 = monthly_counts.band_4 + excluded.band_4, band_5 = monthly_counts.band_5 + excluded.band_5, band_6 = monthly_counts.band_6 + excluded.band_6, band_7 = monthly_counts.band_7 + excluded.band_7, band_8 = monthly_counts.band_8 + excluded.band_8, band_9 = monthly_counts.band_9 + excluded.band_9, decided_approved = monthly_counts.decided_approved + excluded.decided_approved, decided_edited = monthly_counts.decided_edited + excluded.decided_edited, decided_rejected = monthly_counts.decided_rejected + excluded.decided_rejected, review_ms_sum = monthly_counts.review_ms_sum + excluded.review_ms_sum, review_ms_count = monthly_counts.review_ms_count + excluded.review_ms_count, reason_wrong_persona = monthly_counts.reason_wrong_persona + excluded.reason_wrong_persona, reason_incorrect_competitor = monthly_counts.reason_incorrect_competitor + excluded.reason_incorrect_competitor, reason_grammar_issues = monthly_counts.reason_grammar_issues + excluded.reason_grammar_issues, reason_tone_too_corporate = monthly_counts.reason_tone_too_corporate + excluded.reason_tone_too_corporate, reason_incorrect_info = monthly_counts.reason_incorrect_info + excluded.reason_incorrect_info, reason_low_quality = monthly_counts.reason_low_quality + excluded.reason_low_quality, reason_other = monthly_counts.reason_other + excluded.reason_other, time_0 = monthly_counts.time_0 + excluded.time_0, time_3 = monthly_counts.time_3 + excluded.time_3, time_5 = monthly_counts.time_5 + excluded.time_5, time_10 = monthly_counts.time_10 + excluded.time_10, time_15 = monthly_counts.time_15 + excluded.time_15, time_20 = monthly_counts.time_20 + excluded.time_20, time_30 = monthly_counts.time_30 + excluded.time_30, time_45 = monthly_counts.time_45 + excluded.time_45, time_60 = monthly_counts.time_60 + excluded.time_60, time_90 = monthly_counts.time_90 + excluded.time_90, time_120 = monthly_counts.time_120 + excluded.time_120, time_180 = monthly_counts.time_180 + excluded.time_180, time_300 = monthly_counts.time_300 + excluded.time_300, time_600 = monthly_counts.time_600 + excluded.time_600, time_1800 = monthly_counts.time_1800 + excluded.time_1800;
END;

CREATE TRIGGER rollup_reviewer_month_added AFTER INSERT ON daily_reviews BEGIN
    INSERT INTO monthly_reviews (client_id, month, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count, fast_approvals, longest_run)
        VALUES (NEW.client_id, substr(NEW.day, 1, 7), NEW.reviewer_id, NEW.reviewer_name, NEW.approved, NEW.edited, NEW.rejected, NEW.review_ms_sum, NEW.review_ms_count, NEW.fast_approvals, NEW.longest_run)
        ON CONFLICT (client_id, month, reviewer_id, reviewer_name) DO UPDATE SET approved = monthly_reviews.approved + excluded.approved, edited = monthly_reviews.edited + excluded.edited, rejected = monthly_reviews.rejected + excluded.rejected, review_ms_sum = monthly_reviews.review_ms_sum + excluded.review_ms_sum, review_ms_count = monthly_reviews.review_ms_count + excluded.review_ms_count, fast_approvals = monthly_reviews.fast_approvals + excluded.fast_approvals, longest_run = MAX(monthly_reviews.longest_run, excluded.longest_run);
END;

CREATE TRIGGER rollup_reviewer_month_changed AFTER UPDATE ON daily_reviews BEGIN
    INSERT INTO monthly_reviews (client_id, month, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count, fast_approvals, longest_run)
        VALUES (NEW.client_id, substr(NEW.day, 1, 7), NEW.reviewer_id, NEW.reviewer_name, NEW.approved - OLD.approved, NEW.edited - OLD.edited, NEW.rejected - OLD.rejected, NEW.review_ms_sum - OLD.review_ms_sum, NEW.review_ms_count - OLD.review_ms_count, NEW.fast_approvals - OLD.fast_approvals, NEW.longest_run)
        ON CONFLICT (client_id, month, reviewer_id, reviewer_name) DO UPDATE SET approved = monthly_reviews.approved + excluded.approved, edited = monthly_reviews.edited + excluded.edited, rejected = monthly_reviews.rejected + excluded.rejected, review_ms_sum = monthly_reviews.review_ms_sum + excluded.review_ms_sum, review_ms_count = monthly_reviews.review_ms_count + excluded.review_ms_count, fast_approvals = monthly_reviews.fast_approvals + excluded.fast_approvals, longest_run = MAX(monthly_reviews.longest_run, excluded.longest_run);
END;
