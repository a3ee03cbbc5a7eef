-- The payment methods an intent takes, comma-separated (`card`, `sepa_debit`,
-- `au_becs_debit`); every intent made before took cards only.
ALTER TABLE payment_intents ADD COLUMN payment_method_types TEXT NOT NULL DEFAULT 'card';
