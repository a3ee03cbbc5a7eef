-- Refunds and delivery attempts in the order they were written, as intents and charges (0015):
-- under a frozen test clock many share one `created_at`. `seq` is the row's rowid.
ALTER TABLE refunds ADD COLUMN seq INTEGER;
UPDATE refunds SET seq = rowid;
CREATE TRIGGER refunds_seq AFTER INSERT ON refunds BEGIN
    UPDATE refunds SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
ALTER TABLE delivery_attempts ADD COLUMN seq INTEGER;
UPDATE delivery_attempts SET seq = rowid;
CREATE TRIGGER delivery_attempts_seq AFTER INSERT ON delivery_attempts BEGIN
    UPDATE delivery_attempts SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
DROP INDEX refunds_by_intent;
CREATE INDEX refunds_by_intent ON refunds (payment_intent_id, created_at, seq);
DROP INDEX delivery_attempts_by_event;
CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id, created_at, seq);
