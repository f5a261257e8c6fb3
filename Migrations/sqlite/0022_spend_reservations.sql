-- migrate: foreign keys off
-- The spend guard reserves each model call's worst case before calling (issue 28): the call is a
-- row from the start, 'reserved' at the cost of its whole request and `max_tokens` at the price
-- table, and settled to what the answer reports; a call that never answers keeps its reservation.
-- `reserved_microdollars` keeps the worst case after settling (the guard's margin for the next call).
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt as SQLite documents
-- (https://sqlite.org/lang_altertable.html#otheralter), with foreign-key enforcement off.
-- Keep in step with ../postgres/0022_spend_reservations.sql.

CREATE TABLE model_calls_0022 (
    id INTEGER PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    agent TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    cost_microdollars BIGINT NOT NULL,
    latency_ms BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('reserved', 'ok', 'invalid', 'failed')),
    created_at BIGINT NOT NULL,
    batch_id BIGINT REFERENCES contact_batches(id) ON DELETE SET NULL,
    reserved_microdollars BIGINT NOT NULL DEFAULT 0
);

INSERT INTO model_calls_0022 (id, client_id, agent, model, prompt_tokens, completion_tokens, cost_microdollars, latency_ms, outcome, created_at, batch_id, reserved_microdollars)
SELECT id, client_id, agent, model, prompt_tokens, completion_tokens, cost_microdollars, latency_ms, outcome, created_at, batch_id, cost_microdollars FROM model_calls;

DROP TABLE model_calls;

ALTER TABLE model_calls_0022 RENAME TO model_calls;

CREATE INDEX model_calls_client_time ON model_calls (client_id, created_at);
CREATE INDEX model_calls_batch ON model_calls (batch_id);
