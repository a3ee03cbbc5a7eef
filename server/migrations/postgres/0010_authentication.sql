-- 3-D Secure: an intent in `requires_action` keeps the authentication the customer owes, as
-- JSON `{"then": null | {"decline_code": …}}` (what the issuer answers once it is completed).
ALTER TABLE payment_intents ADD COLUMN pending_authentication TEXT;
-- Such an intent has a deadline too: the sweeper's index covers it.
DROP INDEX payment_intents_by_deadline;
CREATE INDEX payment_intents_by_deadline ON payment_intents (expires_at)
    WHERE status IN ('requires_payment_method', 'requires_action', 'authorized');
