-- The spend guard reserves each model call's worst case before calling (issue 28): the call is a
-- row from the start, 'reserved' at the cost of its whole request and `max_tokens` at the price
-- table, and settled to what the answer reports; a call that never answers keeps its reservation.
-- `reserved_microdollars` keeps the worst case after settling (the guard's margin for the next call).
-- Keep in step with ../sqlite/0022_spend_reservations.sql.
ALTER TABLE model_calls DROP CONSTRAINT model_calls_outcome_check;
ALTER TABLE model_calls ADD CONSTRAINT model_calls_outcome_check CHECK (outcome IN ('reserved', 'ok', 'invalid', 'failed'));
ALTER TABLE model_calls ADD COLUMN reserved_microdollars BIGINT NOT NULL DEFAULT 0;
UPDATE model_calls SET reserved_microdollars = cost_microdollars;
