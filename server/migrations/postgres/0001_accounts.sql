-- Users, merchants, members, API keys, settings, and the events table the payment transitions
-- append to. Same tables, names and order as migrations/sqlite.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE merchants (
    id             UUID PRIMARY KEY,
    name           TEXT NOT NULL,
    webhook_url    TEXT,
    webhook_secret TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE members (
    merchant_id UUID NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (merchant_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    merchant_id  UUID NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_by   UUID NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_keys_by_merchant ON api_keys (merchant_id, created_at);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    merchant_id UUID NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_by_merchant ON events (merchant_id, created_at, id);
