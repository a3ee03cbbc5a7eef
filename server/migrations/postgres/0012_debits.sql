-- Debits (sepa_debit, au_becs_debit): an intent may now be paid from a bank account, so what
-- paid gets its type, and a bank (an IBAN's country, a BSB) next to its last four digits. The
-- full account number is never stored, as card numbers never were.
ALTER TABLE payment_intents RENAME COLUMN card_last4 TO payment_method_last4;
ALTER TABLE payment_intents ADD COLUMN payment_method_type TEXT;
UPDATE payment_intents SET payment_method_type = 'card' WHERE payment_method_last4 IS NOT NULL;
ALTER TABLE payment_intents ADD COLUMN payment_method_bank TEXT;
-- A `processing` intent waits for its debit to settle at `settles_at`, with the bank's answer
-- then as JSON `{"then": null | {"decline_code": …}}`; the sweeper works the due ones.
ALTER TABLE payment_intents ADD COLUMN pending_settlement TEXT;
ALTER TABLE payment_intents ADD COLUMN settles_at TIMESTAMPTZ;
CREATE INDEX payment_intents_by_settlement ON payment_intents (settles_at) WHERE status = 'processing';
ALTER TABLE charges ADD COLUMN bank TEXT;
