-- PostgreSQL's V24 creates the pg_stat_statements extension; SQLite has no such thing. This
-- migration only keeps both dialects' version numbers in step.
SELECT 1;
