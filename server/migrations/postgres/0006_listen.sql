-- `kassa listen`: how far each API key's listener has forwarded the merchant's events.
CREATE TABLE listen_cursors (
    key_id     TEXT PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
    event_id   TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);
