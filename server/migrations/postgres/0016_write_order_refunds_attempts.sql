-- Refunds and delivery attempts in the order they were written, as intents and charges (0015):
-- under a frozen test clock many share one `created_at`.
ALTER TABLE refunds ADD COLUMN seq BIGSERIAL;
ALTER TABLE delivery_attempts ADD COLUMN seq BIGSERIAL;
DROP INDEX refunds_by_intent;
CREATE INDEX refunds_by_intent ON refunds (payment_intent_id, created_at, seq);
DROP INDEX delivery_attempts_by_event;
CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id, created_at, seq);
