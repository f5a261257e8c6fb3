-- The trigram index moves off generated_emails into a table of its own, as SQLite's FTS5 index
-- already is (../sqlite/0003). Every decision changes status, which the queue's indexes cover, so
-- PostgreSQL writes a new index entry for the row in every index of the table: with the trigram GIN
-- index there, each approval also re-indexed the ~1,000 trigrams of the email's text (a profile of
-- 16 reviewers approving showed it as a quarter of the database's work). The search text is written
-- once, when the draft is; triggers keep the copy in step, as SQLite's FTS triggers do.

CREATE TABLE email_search_text (
    email_id BIGINT PRIMARY KEY REFERENCES generated_emails(id) ON DELETE CASCADE,
    search_text TEXT NOT NULL
);

INSERT INTO email_search_text (email_id, search_text) SELECT id, search_text FROM generated_emails;

DROP INDEX generated_emails_search;

CREATE INDEX email_search_text_trigram ON email_search_text USING gin (search_text gin_trgm_ops);

CREATE FUNCTION email_search_text_insert() RETURNS trigger LANGUAGE plpgsql
AS $$ BEGIN INSERT INTO email_search_text (email_id, search_text) VALUES (NEW.id, NEW.search_text); RETURN NEW; END $$;

CREATE TRIGGER generated_emails_search_insert AFTER INSERT ON generated_emails FOR EACH ROW EXECUTE FUNCTION email_search_text_insert();

CREATE FUNCTION email_search_text_update() RETURNS trigger LANGUAGE plpgsql
AS $$ BEGIN UPDATE email_search_text SET search_text = NEW.search_text WHERE email_id = NEW.id; RETURN NEW; END $$;

CREATE TRIGGER generated_emails_search_update AFTER UPDATE OF search_text ON generated_emails FOR EACH ROW EXECUTE FUNCTION email_search_text_update();
