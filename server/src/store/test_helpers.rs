//! The sandbox's test helpers (API.md "Sandbox controls"): a merchant's reset.

use uuid::Uuid;

use super::clocks::merchant_clock;
use super::{Store, StoreError, StoreResult, transaction};

/// What a reset cleared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reset {
    pub payment_intents: u64,
    pub events: u64,
    pub request_logs: u64,
    pub idempotency_keys: u64,
}

impl Store {
    /// Clears, in one transaction, the merchant's payment intents (their charges and refunds
    /// with them), events (their deliveries and attempts with them), request logs, `kassa
    /// listen` cursors, and the answered idempotency keys of `credentials` (the digests of the
    /// merchant's idempotency scopes). The merchant, its members, API keys and webhook settings
    /// stay. A request still running keeps its key, so that its answer can still be kept.
    pub async fn reset_merchant(&self, merchant: Uuid, credentials: &[String]) -> StoreResult<Reset> {
        let _changing = self.changing_clock(merchant);
        let _changing = self.changing(|caches| caches.intents.clear());
        transaction!(self, |tx| {
            // An advance in flight would write its clock back: wait for it.
            if merchant_clock!(self, tx, merchant, self.clock.now(), " FOR UPDATE").advancing {
                return Err(StoreError::ClockAdvancing);
            }
            let events =
                sqlx::query("DELETE FROM events WHERE merchant_id = $1").bind(merchant).execute(&mut *tx).await?;
            let intents = sqlx::query("DELETE FROM payment_intents WHERE merchant_id = $1")
                .bind(merchant)
                .execute(&mut *tx)
                .await?;
            let logs =
                sqlx::query("DELETE FROM request_logs WHERE merchant_id = $1").bind(merchant).execute(&mut *tx).await?;
            // Back to real time.
            sqlx::query("DELETE FROM clocks WHERE merchant_id = $1").bind(merchant).execute(&mut *tx).await?;
            // A listener's cursor names an event that is gone: its next session starts afresh.
            sqlx::query("DELETE FROM listen_cursors WHERE key_id IN (SELECT id FROM api_keys WHERE merchant_id = $1)")
                .bind(merchant)
                .execute(&mut *tx)
                .await?;
            let mut idempotency_keys = 0;
            for credential in credentials {
                idempotency_keys +=
                    sqlx::query("DELETE FROM idempotency_keys WHERE credential = $1 AND status_code IS NOT NULL")
                        .bind(credential)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
            }
            Ok(Reset {
                payment_intents: intents.rows_affected(),
                events: events.rows_affected(),
                request_logs: logs.rows_affected(),
                idempotency_keys,
            })
        })
    }

    /// The ids of the merchant's payment intents and members: whose idempotency keys a reset
    /// clears (the checkouts', the members' on this merchant).
    pub async fn reset_scopes(&self, merchant: Uuid) -> StoreResult<(Vec<String>, Vec<Uuid>)> {
        let intents = super::read!(self, |pool| {
            sqlx::query_scalar("SELECT id FROM payment_intents WHERE merchant_id = $1")
                .bind(merchant)
                .fetch_all(pool)
                .await?
        });
        let members = super::read!(self, |pool| {
            sqlx::query_scalar("SELECT user_id FROM members WHERE merchant_id = $1")
                .bind(merchant)
                .fetch_all(pool)
                .await?
        });
        Ok((intents, members))
    }
}
