-- Events a redelivery asked every listener of the merchant to forward again.
CREATE TABLE listen_redeliveries (
    key_id     TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    event_id   TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key_id, event_id)
);
