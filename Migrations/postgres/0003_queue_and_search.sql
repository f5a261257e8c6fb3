-- Search over company, name and body without scanning the table: a trigram GIN index, which answers
-- LIKE '%text%' for text of 3 characters or more. PostgreSQL's counterpart of ../sqlite/0003_queue_and_search.sql.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX generated_emails_search ON generated_emails USING gin (search_text gin_trgm_ops);

-- The queue walks these in order and stops after a page: "awaiting review" is two statuses, and an
-- index that starts with status cannot give one order across both, so the whole backlog was sorted.
CREATE INDEX generated_emails_awaiting ON generated_emails (quality_score, created_at, id) WHERE status IN ('pending_review', 'sampled');

CREATE INDEX generated_emails_client_awaiting ON generated_emails (client_id, quality_score, created_at, id) WHERE status IN ('pending_review', 'sampled');
