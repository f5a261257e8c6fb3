-- A run that cannot finish never blocks the client (issue 27). `failures` counts the times a run
-- ended `failed` while something of it stayed unfinished (leads whose call went unanswered, a
-- campaign not started): the schedule retries it after 1, 5, 15 and 60 minutes, then at the next
-- export hour, and Slack hears of the first failure only (and of the recovery). A run a manager
-- abandons ends `abandoned`, its leads settled by asking the sequencer what it holds.
ALTER TABLE export_runs ADD COLUMN failures BIGINT NOT NULL DEFAULT 0;
