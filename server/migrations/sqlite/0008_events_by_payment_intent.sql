-- Events name the payment intent they concern (a refund's event its intent's), so that one
-- payment's timeline is an indexed read and the payments report can join the intent's amounts.
ALTER TABLE events ADD COLUMN payment_intent_id TEXT;
UPDATE events SET payment_intent_id = CASE json_extract(data, '$.object')
    WHEN 'refund' THEN json_extract(data, '$.payment_intent')
    ELSE json_extract(data, '$.id')
END;
CREATE INDEX events_by_payment_intent ON events (payment_intent_id, created_at, id);
