-- Spend flushes already applied (PostgreSQL). Each flush of an instance's spend book carries an id
-- and records it here in the same transaction as its spend: a flush retried after its commit did
-- land (the answer to COMMIT lost with the connection) finds its id and adds nothing twice. Rows
-- older than a day are deleted by later flushes (a retry comes seconds after its first try).

CREATE TABLE spend_flushes (
  id         TEXT PRIMARY KEY,
  applied_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_spend_flushes_applied_at ON spend_flushes (applied_at);
