//! Payment intents and their refunds. Every transition is ONE conditional UPDATE (`… WHERE
//! status = … AND expires_at > now RETURNING …`) inside a transaction that also appends the
//! event, so concurrent confirms, captures or refunds can never both win, and no state change
//! exists without its event. A transition that finds the row in another state returns
//! `StoreError::Conflict` with the row as it is, for the caller to explain.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Page, Store, StoreError, StoreResult, cursor, read, transaction};
use crate::domain::payment_intent::{AUTHORIZATION_VALIDITY, MAX_ATTEMPTS};
use crate::domain::{EventId, PaymentIntentId, RefundId, Status};

macro_rules! intent_columns {
    () => {
        "id, merchant_id, amount, currency, status, capture_method, amount_capturable, amount_received, \
         amount_refunded, success_url, cancel_url, description, customer_email, metadata, attempts, \
         last_payment_error, card_brand, card_last4, card_exp_month, card_exp_year, created_at, expires_at"
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentIntentRow {
    pub id: String,
    pub merchant_id: Uuid,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub capture_method: String,
    pub amount_capturable: i64,
    pub amount_received: i64,
    pub amount_refunded: i64,
    pub success_url: String,
    pub cancel_url: String,
    pub description: Option<String>,
    pub customer_email: Option<String>,
    /// JSON object of strings.
    pub metadata: String,
    pub attempts: i64,
    /// JSON of the last decline, or null.
    pub last_payment_error: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    pub card_exp_month: Option<i64>,
    pub card_exp_year: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl PaymentIntentRow {
    /// The status as of `now`: past its deadline, a waiting or authorized intent is expired,
    /// whether or not the sweeper has written that down yet.
    pub fn status_at(&self, now: DateTime<Utc>) -> Status {
        let stored = Status::parse(&self.status).unwrap_or(Status::Failed);
        if stored.can_expire() && self.expires_at <= now { Status::Expired } else { stored }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefundRow {
    pub id: String,
    pub payment_intent_id: String,
    pub amount: i64,
    pub reason: Option<String>,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// What a create request carries, parsed.
pub struct NewPaymentIntent<'a> {
    pub merchant: Uuid,
    pub amount: i64,
    pub currency: &'a str,
    pub capture_method: &'a str,
    pub success_url: &'a str,
    pub cancel_url: &'a str,
    pub description: Option<&'a str>,
    pub customer_email: Option<&'a str>,
    pub metadata: String,
    /// `expires_at` is `created_at` plus this, to the microsecond.
    pub expires_in: chrono::TimeDelta,
}

/// What is kept of a card: never its number.
pub struct CardSnapshot<'a> {
    pub brand: &'a str,
    pub last4: &'a str,
    pub exp_month: i64,
    pub exp_year: i64,
}

/// Renders an object as its event's `data.object`: the API layer's JSON, frozen at the moment
/// of the change and written in the change's transaction.
pub type Render<'a, T> = &'a (dyn Fn(&T) -> String + Sync);

/// Appends an event in the caller's transaction.
macro_rules! append_event {
    ($tx:expr, $merchant:expr, $kind:expr, $data:expr, $now:expr) => {
        sqlx::query("INSERT INTO events (id, merchant_id, type, data, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(EventId::generate().as_ref())
            .bind($merchant)
            .bind($kind)
            .bind($data)
            .bind($now)
            .execute(&mut *$tx)
            .await?
    };
}

impl Store {
    pub async fn create_payment_intent(
        &self,
        new: &NewPaymentIntent<'_>,
        render: Render<'_, PaymentIntentRow>,
    ) -> StoreResult<PaymentIntentRow> {
        transaction!(self, |tx| {
            let now = super::now();
            let row: PaymentIntentRow = sqlx::query_as(concat!(
                "INSERT INTO payment_intents (id, merchant_id, amount, currency, status, capture_method, success_url, \
                 cancel_url, description, customer_email, metadata, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, 'requires_payment_method', $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ",
                intent_columns!()
            ))
            .bind(PaymentIntentId::generate().as_ref())
            .bind(new.merchant)
            .bind(new.amount)
            .bind(new.currency)
            .bind(new.capture_method)
            .bind(new.success_url)
            .bind(new.cancel_url)
            .bind(new.description)
            .bind(new.customer_email)
            .bind(&new.metadata)
            .bind(now)
            .bind(now + new.expires_in)
            .fetch_one(&mut *tx)
            .await?;
            append_event!(tx, row.merchant_id, "payment_intent.created", render(&row), now);
            Ok(row)
        })
    }

    /// An intent by id; with `merchant`, only that merchant's (another's is `NotFound`).
    pub async fn get_payment_intent(
        &self,
        merchant: Option<Uuid>,
        id: &PaymentIntentId,
    ) -> StoreResult<PaymentIntentRow> {
        let cached = self.cache.as_ref().map(|c| (c.intents.get(&id.to_string()), c.intents.epoch()));
        let row: PaymentIntentRow = match cached {
            Some((Some(row), _)) => (*row).clone(),
            _ => {
                let row: PaymentIntentRow = read!(self, |pool| {
                    sqlx::query_as(concat!("SELECT ", intent_columns!(), " FROM payment_intents WHERE id = $1"))
                        .bind(id.as_ref())
                        .fetch_optional(pool)
                        .await?
                        .ok_or(StoreError::NotFound)?
                });
                if let (Some(cache), Some((_, epoch))) = (&self.cache, cached) {
                    cache.intents.fill(row.id.clone(), row.clone(), epoch);
                }
                row
            }
        };
        if merchant.is_some_and(|m| m != row.merchant_id) {
            return Err(StoreError::NotFound);
        }
        Ok(row)
    }

    pub async fn list_payment_intents(
        &self,
        merchant: Uuid,
        status: Option<Status>,
        page: Page<PaymentIntentId>,
    ) -> StoreResult<(Vec<PaymentIntentRow>, bool)> {
        let (after_at, after_id) = cursor!(
            self,
            "SELECT created_at, id FROM payment_intents WHERE merchant_id = $1 AND id = $2",
            merchant,
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            String
        );
        let rows: Vec<PaymentIntentRow> = read!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                intent_columns!(),
                // The filter sees the status as of now, as reads do: an intent past its
                // deadline is `expired` even before the sweeper writes it down.
                " FROM payment_intents WHERE merchant_id = $1 AND ($2 IS NULL OR $2 = CASE \
                   WHEN status IN ('requires_payment_method', 'authorized') AND expires_at <= $6 THEN 'expired' \
                   ELSE status END) \
                 AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4)) \
                 ORDER BY created_at DESC, id DESC LIMIT $5"
            ))
            .bind(merchant)
            .bind(status.map(Status::as_str))
            .bind(after_at)
            .bind(after_id)
            .bind(i64::from(page.limit) + 1)
            .bind(super::now())
            .fetch_all(pool)
            .await?
        });
        Ok(super::split_page(rows, page.limit))
    }

    /// An approved card: `succeeded` (automatic capture) or `authorized` (manual, with 7 days
    /// to capture), from `requires_payment_method` and before the deadline only.
    pub async fn confirm_payment_intent(
        &self,
        id: &PaymentIntentId,
        card: &CardSnapshot<'_>,
        render: Render<'_, PaymentIntentRow>,
    ) -> StoreResult<PaymentIntentRow> {
        let _changing = self.changing_intent(id.as_ref());
        let row = transaction!(self, |tx| {
            // The clock is read once the transaction holds the write lock, so a deadline is
            // judged when the change is made, not when the request arrived.
            let now = super::now();
            let authorization_deadline = now + AUTHORIZATION_VALIDITY;
            let row: Option<PaymentIntentRow> = sqlx::query_as(concat!(
                "UPDATE payment_intents SET \
                   status = CASE capture_method WHEN 'automatic' THEN 'succeeded' ELSE 'authorized' END, \
                   amount_received = CASE capture_method WHEN 'automatic' THEN amount ELSE 0 END, \
                   amount_capturable = CASE capture_method WHEN 'automatic' THEN 0 ELSE amount END, \
                   expires_at = CASE capture_method WHEN 'automatic' THEN expires_at ELSE $3 END, \
                   attempts = attempts + 1, last_payment_error = NULL, \
                   card_brand = $4, card_last4 = $5, card_exp_month = $6, card_exp_year = $7 \
                 WHERE id = $1 AND status = 'requires_payment_method' AND expires_at > $2 RETURNING ",
                intent_columns!()
            ))
            .bind(id.as_ref())
            .bind(now)
            .bind(authorization_deadline)
            .bind(card.brand)
            .bind(card.last4)
            .bind(card.exp_month)
            .bind(card.exp_year)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = &row {
                let kind =
                    if row.status == "succeeded" { "payment_intent.succeeded" } else { "payment_intent.authorized" };
                append_event!(tx, row.merchant_id, kind, render(row), now);
            }
            Ok(row)
        })?;
        self.or_conflict(row, None, id).await
    }

    /// A declined card: one more attempt, the decline kept as `last_payment_error`; the fifth
    /// decline fails the intent. Each decline is a `payment_intent.payment_failed` event.
    pub async fn record_declined_attempt(
        &self,
        id: &PaymentIntentId,
        error: &str,
        render: Render<'_, PaymentIntentRow>,
    ) -> StoreResult<PaymentIntentRow> {
        let _changing = self.changing_intent(id.as_ref());
        let row = transaction!(self, |tx| {
            let now = super::now();
            let row: Option<PaymentIntentRow> = sqlx::query_as(concat!(
                "UPDATE payment_intents SET attempts = attempts + 1, last_payment_error = $3, \
                   status = CASE WHEN attempts + 1 >= $4 THEN 'failed' ELSE status END \
                 WHERE id = $1 AND status = 'requires_payment_method' AND expires_at > $2 RETURNING ",
                intent_columns!()
            ))
            .bind(id.as_ref())
            .bind(now)
            .bind(error)
            .bind(MAX_ATTEMPTS)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = &row {
                append_event!(tx, row.merchant_id, "payment_intent.payment_failed", render(row), now);
            }
            Ok(row)
        })?;
        self.or_conflict(row, None, id).await
    }

    /// Captures `amount` (all of it when `None`) of an authorized intent: `succeeded`, the rest
    /// released.
    pub async fn capture_payment_intent(
        &self,
        merchant: Uuid,
        id: &PaymentIntentId,
        amount: Option<i64>,
        render: Render<'_, PaymentIntentRow>,
    ) -> StoreResult<PaymentIntentRow> {
        let _changing = self.changing_intent(id.as_ref());
        let row = transaction!(self, |tx| {
            let now = super::now();
            let row: Option<PaymentIntentRow> = sqlx::query_as(concat!(
                "UPDATE payment_intents SET status = 'succeeded', \
                   amount_received = COALESCE($4, amount_capturable), amount_capturable = 0 \
                 WHERE id = $1 AND merchant_id = $2 AND status = 'authorized' AND expires_at > $3 \
                   AND COALESCE($4, amount_capturable) <= amount_capturable RETURNING ",
                intent_columns!()
            ))
            .bind(id.as_ref())
            .bind(merchant)
            .bind(now)
            .bind(amount)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = &row {
                append_event!(tx, row.merchant_id, "payment_intent.succeeded", render(row), now);
            }
            Ok(row)
        })?;
        self.or_conflict(row, Some(merchant), id).await
    }

    /// Cancels a waiting or authorized intent (releasing an authorization).
    pub async fn void_payment_intent(
        &self,
        merchant: Uuid,
        id: &PaymentIntentId,
        render: Render<'_, PaymentIntentRow>,
    ) -> StoreResult<PaymentIntentRow> {
        let _changing = self.changing_intent(id.as_ref());
        let row = transaction!(self, |tx| {
            let now = super::now();
            let row: Option<PaymentIntentRow> = sqlx::query_as(concat!(
                "UPDATE payment_intents SET status = 'canceled', amount_capturable = 0 \
                 WHERE id = $1 AND merchant_id = $2 AND status IN ('requires_payment_method', 'authorized') \
                   AND expires_at > $3 RETURNING ",
                intent_columns!()
            ))
            .bind(id.as_ref())
            .bind(merchant)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = &row {
                append_event!(tx, row.merchant_id, "payment_intent.canceled", render(row), now);
            }
            Ok(row)
        })?;
        self.or_conflict(row, Some(merchant), id).await
    }

    /// Refunds `amount` (what remains when `None`) of a succeeded intent. The guard
    /// `amount_refunded + n <= amount_received` sits in the UPDATE, so concurrent refunds can
    /// never add up to more than was received.
    pub async fn refund_payment_intent(
        &self,
        merchant: Uuid,
        id: &PaymentIntentId,
        amount: Option<i64>,
        reason: Option<&str>,
        render_refund: Render<'_, RefundRow>,
    ) -> StoreResult<(RefundRow, PaymentIntentRow)> {
        let _changing = self.changing_intent(id.as_ref());
        let result = transaction!(self, |tx| 'refund: {
            let now = super::now();
            let remaining: Option<i64> = sqlx::query_scalar(
                "SELECT amount_received - amount_refunded FROM payment_intents \
                 WHERE id = $1 AND merchant_id = $2 AND status = 'succeeded'",
            )
            .bind(id.as_ref())
            .bind(merchant)
            .fetch_optional(&mut *tx)
            .await?;
            let n = match (amount, remaining) {
                (Some(n), _) => n,
                (None, Some(remaining)) if remaining > 0 => remaining,
                _ => break 'refund Ok(None),
            };
            let row: Option<PaymentIntentRow> = sqlx::query_as(concat!(
                "UPDATE payment_intents SET amount_refunded = amount_refunded + $3 \
                 WHERE id = $1 AND merchant_id = $2 AND status = 'succeeded' \
                   AND amount_refunded + $3 <= amount_received RETURNING ",
                intent_columns!()
            ))
            .bind(id.as_ref())
            .bind(merchant)
            .bind(n)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else { break 'refund Ok(None) };
            let refund: RefundRow = sqlx::query_as(
                "INSERT INTO refunds (id, payment_intent_id, amount, reason, status, created_at) \
                 VALUES ($1, $2, $3, $4, 'succeeded', $5) \
                 RETURNING id, payment_intent_id, amount, reason, status, created_at",
            )
            .bind(RefundId::generate().as_ref())
            .bind(id.as_ref())
            .bind(n)
            .bind(reason)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            append_event!(tx, merchant, "refund.created", render_refund(&refund), now);
            Ok(Some((refund, row)))
        })?;
        match result {
            Some(done) => Ok(done),
            None => Err(StoreError::Conflict(Box::new(self.get_payment_intent(Some(merchant), id).await?))),
        }
    }

    pub async fn list_refunds(
        &self,
        merchant: Uuid,
        id: &PaymentIntentId,
        page: Page<RefundId>,
    ) -> StoreResult<(Vec<RefundRow>, bool)> {
        self.get_payment_intent(Some(merchant), id).await?;
        let (after_at, after_id) = cursor!(
            self,
            "SELECT created_at, id FROM refunds WHERE payment_intent_id = $1 AND id = $2",
            id.as_ref(),
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            String
        );
        let rows: Vec<RefundRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, payment_intent_id, amount, reason, status, created_at FROM refunds \
                 WHERE payment_intent_id = $1 AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND id < $3)) \
                 ORDER BY created_at DESC, id DESC LIMIT $4",
            )
            .bind(id.as_ref())
            .bind(after_at)
            .bind(after_id)
            .bind(i64::from(page.limit) + 1)
            .fetch_all(pool)
            .await?
        });
        Ok(super::split_page(rows, page.limit))
    }

    /// Writes down that `id` expired, if it is due; `None` when it was not (or no longer) due.
    pub async fn expire_payment_intent(
        &self,
        id: &str,
        render: Render<'_, PaymentIntentRow>,
    ) -> StoreResult<Option<PaymentIntentRow>> {
        let _changing = self.changing_intent(id);
        transaction!(self, |tx| {
            let now = super::now();
            let row: Option<PaymentIntentRow> = sqlx::query_as(concat!(
                "UPDATE payment_intents SET status = 'expired', amount_capturable = 0 \
                 WHERE id = $1 AND status IN ('requires_payment_method', 'authorized') AND expires_at <= $2 RETURNING ",
                intent_columns!()
            ))
            .bind(id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = &row {
                append_event!(tx, row.merchant_id, "payment_intent.expired", render(row), now);
            }
            Ok(row)
        })
    }

    /// Ids of intents past their deadline that are not yet marked expired, oldest first.
    pub async fn due_payment_intents(&self, limit: i64) -> StoreResult<Vec<String>> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM payment_intents WHERE status IN ('requires_payment_method', 'authorized') \
                 AND expires_at <= $1 ORDER BY expires_at LIMIT $2",
            )
            .bind(super::now())
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// After a transition matched no row: `NotFound`, or `Conflict` with the row as it is.
    async fn or_conflict(
        &self,
        row: Option<PaymentIntentRow>,
        merchant: Option<Uuid>,
        id: &PaymentIntentId,
    ) -> StoreResult<PaymentIntentRow> {
        match row {
            Some(row) => Ok(row),
            None => Err(StoreError::Conflict(Box::new(self.get_payment_intent(merchant, id).await?))),
        }
    }
}
