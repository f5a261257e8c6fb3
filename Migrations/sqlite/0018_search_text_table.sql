-- The search's walk in queue order (ReviewQueue.searchWalkQuery) checks a thousand emails' text or
-- more for a page of matches. Read from generated_emails, each text sits at the end of a row of about
-- 4 KB, after the body and the JSON columns: rows that long spill onto overflow pages, and reading the
-- text cost twice the lookup of the row itself (3.8 ms for 1,300 emails at a million drafts, against
-- 1.8 ms from a table of the texts alone). The texts get a table of their own, as PostgreSQL's have
-- since ../postgres/0004_search_table.sql, kept in step by triggers. The FTS5 index (0003) still reads
-- generated_emails.
CREATE TABLE email_search_text (
    email_id INTEGER PRIMARY KEY REFERENCES generated_emails(id) ON DELETE CASCADE,
    search_text TEXT NOT NULL
);

INSERT INTO email_search_text (email_id, search_text) SELECT id, search_text FROM generated_emails;

CREATE TRIGGER generated_emails_search_text_insert AFTER INSERT ON generated_emails BEGIN
    INSERT INTO email_search_text (email_id, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER generated_emails_search_text_update AFTER UPDATE OF search_text ON generated_emails BEGIN
    UPDATE email_search_text SET search_text = new.search_text WHERE email_id = new.id;
END;
