-- Stored responses (PostgreSQL): the conversation state behind a /v1/responses answer, kept per
-- virtual key for previous_response_id, GET and DELETE /v1/responses/{id}. Times are epoch
-- milliseconds (as BIGINT, so one repository serves both dialects); a row is dead once expires_at
-- passes (reads ignore it, a periodic delete removes it).
-- items: the conversation as Responses input items (earlier turns, this turn's input, its output);
-- response: the response object as the caller got it; provider: for a pass-through answer the
-- provider (OpenAI, Azure) that holds the same conversation under the same id, else empty.

CREATE TABLE stored_responses (
  id             TEXT PRIMARY KEY,
  virtual_key_id TEXT NOT NULL,
  provider       TEXT NOT NULL,
  passthrough    BOOLEAN NOT NULL,
  items          TEXT NOT NULL,
  response       TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL
);
CREATE INDEX idx_stored_responses_expires_at ON stored_responses (expires_at);
