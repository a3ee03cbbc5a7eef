-- Events in the order they were written: under a frozen test clock many share one `created_at`,
-- and their random ids would order them arbitrarily. `seq` breaks the tie: the row's rowid,
-- which SQLite gives each insert in increasing order (rows are never deleted but by a reset).
ALTER TABLE events ADD COLUMN seq INTEGER;
UPDATE events SET seq = rowid;
CREATE TRIGGER events_seq AFTER INSERT ON events BEGIN
    UPDATE events SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
CREATE INDEX events_by_merchant_in_order ON events (merchant_id, created_at, seq);
