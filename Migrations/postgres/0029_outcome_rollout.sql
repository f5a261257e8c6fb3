-- Outcome evidence in the rollout (issue 30): partial → full also asks that auto-approved emails'
-- positive reply rate be not worse than human-reviewed ones' by more than `reply_margin_bp`
-- (basis points, 100 = 1 percentage point), judged by the 95% interval of the difference; and the
-- outcome guard drops a client one phase when, among its last `outcome_window` auto-approved emails
-- sent in the current phase, bounces exceed `bounce_limit_bp` or unsubscribes `unsubscribe_limit_bp`.
-- Keep in step with ../sqlite/0029_outcome_rollout.sql.
ALTER TABLE rollout_settings ADD COLUMN reply_margin_bp BIGINT NOT NULL DEFAULT 100;
ALTER TABLE rollout_settings ADD COLUMN outcome_window BIGINT NOT NULL DEFAULT 200;
ALTER TABLE rollout_settings ADD COLUMN bounce_limit_bp BIGINT NOT NULL DEFAULT 500;
ALTER TABLE rollout_settings ADD COLUMN unsubscribe_limit_bp BIGINT NOT NULL DEFAULT 200;
