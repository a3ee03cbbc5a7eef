-- A merchant's virtual clock (sandbox controls). No row: the real time. With `frozen_at`, the
-- clock stands there; without, it runs `offset_us` microseconds ahead of the real clock. An
-- advance holds the merchant's other writes until `advancing_until` (a lease it renews each
-- step, so a server that dies mid-advance holds nothing for long), under `advance_token`: only
-- the advance holding that token renews or releases it.
CREATE TABLE clocks (
    merchant_id     BLOB PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
    frozen_at       TEXT,
    offset_us       INTEGER NOT NULL DEFAULT 0,
    advancing_until TEXT,
    advance_token   TEXT,
    updated_at      TEXT NOT NULL
);
