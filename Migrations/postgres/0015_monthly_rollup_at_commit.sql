-- The monthly rollup rows follow the daily ones at commit instead of row by row. A decision locks
-- its email's daily rows (the day it was drafted, then today) and each daily row's trigger locked
-- that month's row at once, so two reviewers deciding emails drafted in different months took the
-- daily and monthly rows in crossed orders and deadlocked (seen under 64 reviewers in bench/soak).
-- Deferred to commit, every transaction takes its daily rows first and its monthly rows last, in
-- the order of its daily changes (the drafted day never after today). Same function, same sums.
DROP TRIGGER rollup_month ON daily_counts;
CREATE CONSTRAINT TRIGGER rollup_month AFTER INSERT OR UPDATE ON daily_counts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rollup_month_follow();

DROP TRIGGER rollup_reviewer_month ON daily_reviews;
CREATE CONSTRAINT TRIGGER rollup_reviewer_month AFTER INSERT OR UPDATE ON daily_reviews
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rollup_reviewer_month_follow();
