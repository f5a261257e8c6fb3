-- Search over company, name and body without scanning the table: an FTS5 index with the trigram
-- tokenizer, which answers LIKE '%text%' for text of 3 characters or more. SQLite's counterpart of
-- ../postgres/0003_queue_and_search.sql (a pg_trgm GIN index); the FTS tables are the one schema difference.

CREATE VIRTUAL TABLE email_search USING fts5(search_text, content='generated_emails', content_rowid='id', tokenize='trigram');

CREATE TRIGGER generated_emails_search_insert AFTER INSERT ON generated_emails BEGIN
    INSERT INTO email_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER generated_emails_search_delete AFTER DELETE ON generated_emails BEGIN
    INSERT INTO email_search (email_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

CREATE TRIGGER generated_emails_search_update AFTER UPDATE OF search_text ON generated_emails BEGIN
    INSERT INTO email_search (email_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO email_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

INSERT INTO email_search (email_search) VALUES ('rebuild');

-- The queue walks these in order and stops after a page: "awaiting review" is two statuses, and an
-- index that starts with status cannot give one order across both, so the whole backlog was sorted.
CREATE INDEX generated_emails_awaiting ON generated_emails (quality_score, created_at, id) WHERE status IN ('pending_review', 'sampled');

CREATE INDEX generated_emails_client_awaiting ON generated_emails (client_id, quality_score, created_at, id) WHERE status IN ('pending_review', 'sampled');
