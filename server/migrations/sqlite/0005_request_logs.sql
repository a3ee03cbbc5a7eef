-- The merchant's API requests (Developers → Logs), bodies redacted before they are written.
-- Kept for 7 days (the sweeper deletes older entries).
CREATE TABLE request_logs (
    id              TEXT PRIMARY KEY,
    merchant_id     BLOB NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    method          TEXT NOT NULL,
    path            TEXT NOT NULL,
    status          INTEGER NOT NULL,
    idempotency_key TEXT,
    duration_ms     INTEGER NOT NULL,
    request_body    TEXT NOT NULL,
    response_body   TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX request_logs_by_merchant ON request_logs (merchant_id, created_at, id);
CREATE INDEX request_logs_by_age ON request_logs (created_at);
