-- Events in the order they were written: under a frozen test clock many share one `created_at`,
-- and their random ids would order them arbitrarily. `seq` breaks the tie.
ALTER TABLE events ADD COLUMN seq BIGSERIAL;
CREATE INDEX events_by_merchant_in_order ON events (merchant_id, created_at, seq);
