-- Entries the app writes by itself (an export run's end, started by the daily schedule) name their
-- actor here; NULL with no user is an action from the command line (issue 34).
-- Keep in step with ../postgres/0025_audit_actor.sql.
ALTER TABLE audit_log ADD COLUMN actor_name TEXT;
