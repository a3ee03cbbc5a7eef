-- Rate limit counters that every replica shares: one row per bucket (a hash of what is
-- limited: an email, a client address, an API key), counting the hits of its current
-- one-minute window. (SQLite has one process: it counts in memory, and has no such table.)
CREATE TABLE rate_limits (
    bucket       TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    hits         BIGINT NOT NULL
);
