-- SQLite's search walk reads each email's text from a table of its own from here on
-- (../sqlite/0018_search_text_table.sql), as PostgreSQL's has since 0004_search_table.sql: nothing
-- to do, the file keeps the two sets numbered in step.
SELECT 1;
