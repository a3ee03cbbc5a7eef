-- Payment intents, refunds and idempotency keys. Card numbers are never stored: only brand,
-- last4 and expiry. Amounts are integers in the currency's minor unit.
CREATE TABLE payment_intents (
    id                 TEXT PRIMARY KEY,
    merchant_id        UUID NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    amount             BIGINT NOT NULL CHECK (amount > 0),
    currency           TEXT NOT NULL,
    status             TEXT NOT NULL,
    capture_method     TEXT NOT NULL,
    amount_capturable  BIGINT NOT NULL DEFAULT 0,
    amount_received    BIGINT NOT NULL DEFAULT 0,
    amount_refunded    BIGINT NOT NULL DEFAULT 0 CHECK (amount_refunded <= amount_received),
    success_url        TEXT NOT NULL,
    cancel_url         TEXT NOT NULL,
    description        TEXT,
    customer_email     TEXT,
    metadata           TEXT NOT NULL,
    attempts           BIGINT NOT NULL DEFAULT 0,
    last_payment_error TEXT,
    card_brand         TEXT,
    card_last4         TEXT,
    card_exp_month     BIGINT,
    card_exp_year      BIGINT,
    created_at         TIMESTAMPTZ NOT NULL,
    expires_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_intents_by_merchant ON payment_intents (merchant_id, created_at, id);
CREATE INDEX payment_intents_by_deadline ON payment_intents (expires_at) WHERE status IN ('requires_payment_method', 'authorized');

CREATE TABLE refunds (
    id                TEXT PRIMARY KEY,
    payment_intent_id TEXT NOT NULL REFERENCES payment_intents (id) ON DELETE CASCADE,
    amount            BIGINT NOT NULL CHECK (amount > 0),
    reason            TEXT,
    status            TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX refunds_by_intent ON refunds (payment_intent_id, created_at, id);

-- One row per (credential, key): the first request's fingerprint and, once it finished, its
-- response, replayed for 24 hours.
CREATE TABLE idempotency_keys (
    credential   TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status_code  BIGINT,
    content_type TEXT,
    body         BYTEA,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (credential, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
