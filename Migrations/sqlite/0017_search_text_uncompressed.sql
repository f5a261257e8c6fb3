-- PostgreSQL's copy of each email's search text is stored uncompressed from here on
-- (../postgres/0017_search_text_uncompressed.sql), for the search's walk in queue order. SQLite never
-- compresses and reads the text from the email's own row: nothing to do, the file keeps the two sets
-- numbered in step.
SELECT 1;
