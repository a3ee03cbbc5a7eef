-- The outbox: a delivery per event for the merchant's webhook endpoint, written in the event's
-- transaction, and the log of every attempt to deliver it.
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    merchant_id     UUID NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,
    -- A worker's claim: who holds it, and until when.
    lease_token     TEXT,
    locked_until    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (event_id)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, created_at) WHERE status = 'pending';

CREATE TABLE delivery_attempts (
    id            TEXT PRIMARY KEY,
    delivery_id   TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    event_id      TEXT NOT NULL,
    number        BIGINT NOT NULL,
    triggered_by  TEXT NOT NULL,
    url           TEXT NOT NULL,
    status_code   BIGINT,
    error         TEXT,
    duration_ms   BIGINT NOT NULL,
    response_body TEXT NOT NULL,
    next_attempt_at TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id, created_at, id);
