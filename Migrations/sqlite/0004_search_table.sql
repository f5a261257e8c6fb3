-- PostgreSQL moves its trigram index into a table of its own here (../postgres/0004_search_table.sql),
-- so that decisions no longer re-index the email's text. SQLite's search index (FTS5, 0003) has lived
-- outside generated_emails from the start: nothing to do, the file keeps the two sets numbered in step.
SELECT 1;
