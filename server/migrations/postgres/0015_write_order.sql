-- Payment intents and charges in the order they were written, as events already are (0014):
-- under a frozen test clock many share one `created_at`.
ALTER TABLE payment_intents ADD COLUMN seq BIGSERIAL;
ALTER TABLE charges ADD COLUMN seq BIGSERIAL;
CREATE INDEX payment_intents_in_order ON payment_intents (merchant_id, created_at, seq);
CREATE INDEX charges_in_order ON charges (merchant_id, created_at, seq);
