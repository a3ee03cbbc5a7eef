-- A charge per attempt to pay an intent (approved or declined), and the intent's latest.
-- Card numbers are not stored here either: only brand and last four digits. Intents paid
-- before this migration have no charges.
CREATE TABLE charges (
    id                   TEXT PRIMARY KEY,
    merchant_id          BLOB NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    payment_intent_id    TEXT NOT NULL REFERENCES payment_intents (id) ON DELETE CASCADE,
    amount               INTEGER NOT NULL,
    currency             TEXT NOT NULL,
    status               TEXT NOT NULL,
    decline_code         TEXT,
    method_type          TEXT NOT NULL,
    brand                TEXT,
    last4                TEXT NOT NULL,
    exp_month            INTEGER,
    exp_year             INTEGER,
    captured             INTEGER NOT NULL,
    amount_captured      INTEGER NOT NULL,
    amount_refunded      INTEGER NOT NULL CHECK (amount_refunded <= amount_captured),
    created_at           TEXT NOT NULL
);
CREATE INDEX charges_by_intent ON charges (payment_intent_id, created_at, id);
CREATE INDEX charges_by_merchant ON charges (merchant_id, created_at, id);
ALTER TABLE payment_intents ADD COLUMN latest_charge TEXT;
