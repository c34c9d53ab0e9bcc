-- The request log archive (PostgreSQL): rows moved out of request_logs by `conduit archive` (or the
-- operations runbook's INSERT INTO request_logs_archive SELECT * FROM request_logs ...), so the
-- live table stays small. Same columns in the same order as request_logs, and the same indexes,
-- so `SELECT *` copies a row as it is and `?includeArchive=true` reads both alike.
-- Every migration that changes request_logs must change request_logs_archive the same way
-- (RequestLogArchiveSchemaTest compares them).

CREATE TABLE request_logs_archive (LIKE request_logs INCLUDING ALL);
