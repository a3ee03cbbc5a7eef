-- Idempotency claims get a lease and a fence: `token` names the request holding the key, and
-- `locked_until` is when a retry may take an unanswered key over. `secret_of` names the payment
-- intent whose client secret was taken out of a stored answer (it is derived again on replay).
ALTER TABLE idempotency_keys ADD COLUMN token TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN locked_until TEXT;
ALTER TABLE idempotency_keys ADD COLUMN secret_of TEXT;
-- Answers stored before this held client secrets, and their fingerprints were not keyed: they
-- are a 24-hour cache, so they go.
DELETE FROM idempotency_keys;
-- Events kept the wire JSON of the day, client secret included: only the snapshot stays.
UPDATE events SET data = json_remove(data, '$.client_secret', '$.checkout_url');
