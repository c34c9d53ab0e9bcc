-- Spend flushes already applied (SQLite; see the PostgreSQL migration of the same number). Each
-- flush of the spend book records its id in the same transaction as its spend, so a retried flush
-- whose first commit landed adds nothing twice. applied_at: epoch milliseconds.

CREATE TABLE spend_flushes (
  id         TEXT PRIMARY KEY,
  applied_at INTEGER NOT NULL
);
CREATE INDEX idx_spend_flushes_applied_at ON spend_flushes (applied_at);
