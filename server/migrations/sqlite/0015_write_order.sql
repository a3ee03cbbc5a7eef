-- Payment intents and charges in the order they were written, as events already are (0014):
-- under a frozen test clock many share one `created_at`. `seq` is the row's rowid.
ALTER TABLE payment_intents ADD COLUMN seq INTEGER;
UPDATE payment_intents SET seq = rowid;
CREATE TRIGGER payment_intents_seq AFTER INSERT ON payment_intents BEGIN
    UPDATE payment_intents SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
ALTER TABLE charges ADD COLUMN seq INTEGER;
UPDATE charges SET seq = rowid;
CREATE TRIGGER charges_seq AFTER INSERT ON charges BEGIN
    UPDATE charges SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
CREATE INDEX payment_intents_in_order ON payment_intents (merchant_id, created_at, seq);
CREATE INDEX charges_in_order ON charges (merchant_id, created_at, seq);
