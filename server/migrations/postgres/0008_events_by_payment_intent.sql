-- Events name the payment intent they concern (a refund's event its intent's), so that one
-- payment's timeline is an indexed read and the payments report can join the intent's amounts.
ALTER TABLE events ADD COLUMN payment_intent_id TEXT;
UPDATE events SET payment_intent_id = CASE data::jsonb ->> 'object'
    WHEN 'refund' THEN data::jsonb ->> 'payment_intent'
    ELSE data::jsonb ->> 'id'
END;
CREATE INDEX events_by_payment_intent ON events (payment_intent_id, created_at, id);
