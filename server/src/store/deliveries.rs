//! The outbox (API.md "Events and webhooks"): deliveries are queued with their event, in the
//! change's transaction (`append_event!` in `payment_intents.rs`); here the worker claims the
//! due ones with a lease, each attempt is recorded with the delivery's next state in one
//! transaction, and the attempt log is read. The claim is the only statement that knows about
//! leases: `FOR UPDATE SKIP LOCKED` on PostgreSQL, so replicas never claim one delivery twice;
//! on SQLite the one writer serialises claims already.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::events::{RawEvent, event_columns};
use super::{Db, Page, Resource, Store, StoreError, StoreResult, cursor, read, transaction};
use crate::domain::webhook::{DeliveryStatus, Trigger};
use crate::domain::{AttemptId, DeliveryId, EventId, WebhookSecret};

/// A delivery a worker holds, with what its attempt needs, read when it was claimed: the
/// endpoint and the secret as they are now (a rolled secret signs from the next attempt on).
pub struct DueDelivery {
    pub id: String,
    pub merchant_id: Uuid,
    pub event: super::EventRow,
    /// `None` when the merchant has removed its webhook URL since.
    pub url: Option<String>,
    pub secret: WebhookSecret,
    /// Attempts made so far.
    pub attempts: i64,
}

/// What one attempt found, to record.
pub struct NewAttempt<'a> {
    /// When the attempt began.
    pub at: DateTime<Utc>,
    pub number: i64,
    pub trigger: Trigger,
    pub url: &'a str,
    pub status_code: Option<u16>,
    pub error: Option<&'static str>,
    pub duration_ms: i64,
    pub response_body: &'a str,
    /// When the next attempt is due, if the delivery is still pending after this one.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// What an attempt does to its delivery.
pub enum Settle<'a> {
    /// A scheduled attempt under a worker's claim: the delivery's next state, the claim ended.
    Scheduled { token: &'a str, status: DeliveryStatus },
    /// A manual attempt: a success delivers; a failure leaves the schedule as it is.
    Manual { delivered: bool },
}

#[derive(Debug, Clone)]
pub struct AttemptRow {
    pub id: AttemptId,
    pub event_id: EventId,
    pub number: i64,
    pub trigger: Trigger,
    pub url: String,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub response_body: String,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct RawAttempt {
    id: String,
    event_id: String,
    number: i64,
    triggered_by: String,
    url: String,
    status_code: Option<i64>,
    error: Option<String>,
    duration_ms: i64,
    response_body: String,
    next_attempt_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl TryFrom<RawAttempt> for AttemptRow {
    type Error = StoreError;
    fn try_from(raw: RawAttempt) -> StoreResult<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("delivery attempt {}: {what}", raw.id));
        Ok(Self {
            id: AttemptId::parse(&raw.id).map_err(|_| corrupt("id"))?,
            event_id: EventId::parse(&raw.event_id).map_err(|_| corrupt("event id"))?,
            number: raw.number,
            trigger: Trigger::parse(&raw.triggered_by).ok_or_else(|| corrupt("trigger"))?,
            url: raw.url,
            status_code: raw.status_code,
            error: raw.error,
            duration_ms: raw.duration_ms,
            response_body: raw.response_body,
            next_attempt_at: raw.next_attempt_at,
            created_at: raw.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RawDue {
    delivery_id: String,
    delivery_merchant: Uuid,
    attempts: i64,
    webhook_url: Option<String>,
    webhook_secret: String,
    #[sqlx(flatten)]
    event: RawEvent,
}

impl TryFrom<RawDue> for DueDelivery {
    type Error = StoreError;
    fn try_from(raw: RawDue) -> StoreResult<Self> {
        Ok(Self {
            id: raw.delivery_id,
            merchant_id: raw.delivery_merchant,
            event: raw.event.try_into()?,
            url: raw.webhook_url,
            secret: WebhookSecret::from_stored(raw.webhook_secret),
            attempts: raw.attempts,
        })
    }
}

/// Reads what the worker needs of the deliveries `$where` selects (`$1` the lease token or the
/// delivery id, `$2` the pending status), in event order.
macro_rules! due_query {
    ($where:literal) => {
        concat!(
            "SELECT d.id AS delivery_id, d.merchant_id AS delivery_merchant, d.attempts, m.webhook_url, m.webhook_secret, ",
            event_columns!("$2"),
            " FROM deliveries d JOIN events e ON e.id = d.event_id JOIN merchants m ON m.id = d.merchant_id WHERE ",
            $where,
            " ORDER BY e.created_at, e.seq"
        )
    };
}

impl Store {
    /// Claims up to `limit` due deliveries for `lease`, under `token`; returns them in event
    /// order. A delivery whose lease ran out (its worker died) is due again. A delivery is due
    /// by its merchant's clock: the real time, or the merchant's test clock, whose deliveries
    /// wait while an advance makes them itself.
    pub async fn claim_due_deliveries(
        &self,
        limit: i64,
        lease: TimeDelta,
        token: &str,
    ) -> StoreResult<Vec<DueDelivery>> {
        let real = self.clock.now();
        // The merchants in real time, then each one with a clock of its own by its now.
        let mut claims = vec![(None, real)];
        claims.extend(
            self.clocked_merchants(super::Pending::Deliveries)
                .await?
                .into_iter()
                .filter(|c| !c.2)
                .map(|(merchant, now, _)| (Some(merchant), now)),
        );
        for (merchant, now) in claims {
            self.claim_by(merchant, now, real, limit, lease, token).await?;
        }
        self.claimed(token).await
    }

    /// Claims, under `token`, the deliveries due at `now` of `merchant`, or of every merchant in
    /// real time when `None`; leases are by the real time.
    async fn claim_by(
        &self,
        merchant: Option<Uuid>,
        now: DateTime<Utc>,
        real: DateTime<Utc>,
        limit: i64,
        lease: TimeDelta,
        token: &str,
    ) -> StoreResult<()> {
        let pending = DeliveryStatus::Pending.as_str();
        macro_rules! claim {
            ($lock:literal) => {
                concat!(
                    "UPDATE deliveries SET lease_token = $1, locked_until = $2 WHERE id IN (\
                       SELECT id FROM deliveries WHERE status = $3 AND next_attempt_at <= $4 \
                         AND (locked_until IS NULL OR locked_until <= $6) \
                         AND (($7 IS NULL AND merchant_id NOT IN (SELECT merchant_id FROM clocks)) OR merchant_id = $7) \
                       ORDER BY next_attempt_at, created_at LIMIT $5",
                    $lock,
                    ")"
                )
            };
        }
        // Replicas skip each other's locked rows; SQLite's one writer has none to skip.
        let sql = match &self.db {
            Db::Postgres(_) => claim!(" FOR UPDATE SKIP LOCKED"),
            Db::Sqlite { .. } => claim!(""),
        };
        super::write!(self, |conn| {
            sqlx::query(sql)
                .bind(token)
                .bind(real + lease)
                .bind(pending)
                .bind(now)
                .bind(limit)
                .bind(real)
                .bind(merchant)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Claims the one delivery `id` under `token` if an attempt is due by `due_by` (the time an
    /// advance of its merchant's clock stands at: the advance makes the attempt itself); `None`
    /// when another worker holds it, it is settled, or its attempt was made already (by a worker
    /// that claimed it after the advance read it as due) and the next is later.
    pub async fn claim_delivery(
        &self,
        id: &str,
        due_by: DateTime<Utc>,
        lease: TimeDelta,
        token: &str,
    ) -> StoreResult<Option<DueDelivery>> {
        let real = self.clock.now();
        let claimed = super::write!(self, |conn| {
            sqlx::query(
                "UPDATE deliveries SET lease_token = $1, locked_until = $2 WHERE id = $3 AND status = $4 \
                 AND (locked_until IS NULL OR locked_until <= $5) AND next_attempt_at <= $6",
            )
            .bind(token)
            .bind(real + lease)
            .bind(id)
            .bind(DeliveryStatus::Pending.as_str())
            .bind(real)
            .bind(due_by)
            .execute(conn)
            .await?
            .rows_affected()
        });
        if claimed == 0 {
            return Ok(None);
        }
        Ok(self.claimed(token).await?.into_iter().next())
    }

    /// What `token` holds, in event order.
    async fn claimed(&self, token: &str) -> StoreResult<Vec<DueDelivery>> {
        let pending = DeliveryStatus::Pending.as_str();
        let rows: Vec<RawDue> = read!(self, |pool| {
            sqlx::query_as(due_query!("d.lease_token = $1 AND d.status = $2"))
                .bind(token)
                .bind(pending)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(DueDelivery::try_from).collect()
    }

    /// Records an attempt and what it does to its delivery, in one transaction.
    pub async fn record_attempt(
        &self,
        delivery: &str,
        attempt: &NewAttempt<'_>,
        settle: Settle<'_>,
    ) -> StoreResult<()> {
        transaction!(self, |tx| {
            let event_id: Option<String> = match settle {
                Settle::Scheduled { token, status } => {
                    sqlx::query_scalar(
                        "UPDATE deliveries SET status = $3, attempts = attempts + 1, next_attempt_at = $4, \
                         lease_token = NULL, locked_until = NULL WHERE id = $1 AND lease_token = $2 RETURNING event_id",
                    )
                    .bind(delivery)
                    .bind(token)
                    .bind(status.as_str())
                    .bind(attempt.next_attempt_at)
                    .fetch_optional(&mut *tx)
                    .await?
                }
                Settle::Manual { delivered: true } => {
                    sqlx::query_scalar(
                        "UPDATE deliveries SET status = $2, attempts = attempts + 1, next_attempt_at = NULL \
                         WHERE id = $1 RETURNING event_id",
                    )
                    .bind(delivery)
                    .bind(DeliveryStatus::Delivered.as_str())
                    .fetch_optional(&mut *tx)
                    .await?
                }
                Settle::Manual { delivered: false } => {
                    sqlx::query_scalar("UPDATE deliveries SET attempts = attempts + 1 WHERE id = $1 RETURNING event_id")
                        .bind(delivery)
                        .fetch_optional(&mut *tx)
                        .await?
                }
            };
            let Some(event_id) = event_id else { return Err(StoreError::LeaseLost) };
            sqlx::query(
                "INSERT INTO delivery_attempts (id, delivery_id, event_id, number, triggered_by, url, status_code, \
                 error, duration_ms, response_body, next_attempt_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(AttemptId::generate().as_ref())
            .bind(delivery)
            .bind(event_id)
            .bind(attempt.number)
            .bind(attempt.trigger.as_str())
            .bind(attempt.url)
            .bind(attempt.status_code.map(i64::from))
            .bind(attempt.error)
            .bind(attempt.duration_ms)
            .bind(attempt.response_body)
            .bind(attempt.next_attempt_at)
            .bind(attempt.at)
            .execute(&mut *tx)
            .await?;
            Ok(())
        })
    }

    /// Gives up every claim under `token` (a worker shutting down): those deliveries are due
    /// again at once for whoever claims next.
    pub async fn release_deliveries(&self, token: &str) -> StoreResult<()> {
        transaction!(self, |tx| {
            sqlx::query("UPDATE deliveries SET lease_token = NULL, locked_until = NULL WHERE lease_token = $1")
                .bind(token)
                .execute(&mut *tx)
                .await?;
            Ok(())
        })
    }

    /// Ends every claim: for a process that owns its database (SQLite), whose claims of a
    /// previous run died with it.
    pub(super) async fn release_abandoned_deliveries(&self) -> StoreResult<()> {
        transaction!(self, |tx| {
            sqlx::query("UPDATE deliveries SET lease_token = NULL, locked_until = NULL WHERE lease_token IS NOT NULL")
                .execute(&mut *tx)
                .await?;
            Ok(())
        })
    }

    /// The delivery of `event` (made now if the event had none, say because the merchant had no
    /// webhook URL then), with what a manual or listener's attempt needs.
    pub async fn delivery_for_redelivery(&self, merchant: Uuid, event: &EventId) -> StoreResult<DueDelivery> {
        let now = self.now_for(merchant).await?;
        let id: String = transaction!(self, |tx| {
            let found: Option<String> = sqlx::query_scalar("SELECT id FROM events WHERE id = $1 AND merchant_id = $2")
                .bind(event.as_ref())
                .bind(merchant)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound(Resource::Event));
            }
            // Failed until an attempt says otherwise: a manual attempt schedules no retries.
            sqlx::query(
                "INSERT INTO deliveries (id, event_id, merchant_id, status, attempts, next_attempt_at, created_at) \
                 VALUES ($1, $2, $3, $4, 0, NULL, $5) ON CONFLICT (event_id) DO NOTHING",
            )
            .bind(DeliveryId::generate().as_ref())
            .bind(event.as_ref())
            .bind(merchant)
            .bind(DeliveryStatus::Failed.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let id: String = sqlx::query_scalar("SELECT id FROM deliveries WHERE event_id = $1")
                .bind(event.as_ref())
                .fetch_one(&mut *tx)
                .await?;
            Ok(id)
        })?;
        let raw: Option<RawDue> = read!(self, |pool| {
            sqlx::query_as(due_query!("d.id = $1"))
                .bind(&id)
                .bind(DeliveryStatus::Pending.as_str())
                .fetch_optional(pool)
                .await?
        });
        raw.ok_or(StoreError::NotFound(Resource::Event))?.try_into()
    }

    /// The attempts to deliver `event`, newest first.
    pub async fn list_delivery_attempts(
        &self,
        merchant: Uuid,
        event: &EventId,
        page: Page<AttemptId>,
    ) -> StoreResult<(Vec<AttemptRow>, bool)> {
        self.get_event(merchant, event).await?;
        let (after_at, after_seq) = cursor!(
            self,
            "SELECT created_at, seq FROM delivery_attempts WHERE event_id = $1 AND id = $2",
            event.as_ref(),
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            i64
        );
        let rows: Vec<RawAttempt> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, event_id, number, triggered_by, url, status_code, error, duration_ms, response_body, \
                 next_attempt_at, created_at FROM delivery_attempts \
                 WHERE event_id = $1 AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND seq < $3)) \
                 ORDER BY created_at DESC, seq DESC LIMIT $4",
            )
            .bind(event.as_ref())
            .bind(after_at)
            .bind(after_seq)
            .bind(i64::from(page.limit) + 1)
            .fetch_all(pool)
            .await?
        });
        let attempts = rows.into_iter().map(AttemptRow::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok(super::split_page(attempts, page.limit))
    }
}

impl Store {
    /// For `/metrics`: how many deliveries are pending, and when the oldest was made.
    pub async fn outbox_backlog(&self) -> StoreResult<(u64, Option<DateTime<Utc>>)> {
        let pending = DeliveryStatus::Pending.as_str();
        let (count, oldest): (i64, Option<DateTime<Utc>>) = read!(self, |pool| {
            let count = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE status = $1")
                .bind(pending)
                .fetch_one(pool)
                .await?;
            let oldest =
                sqlx::query_scalar("SELECT created_at FROM deliveries WHERE status = $1 ORDER BY created_at LIMIT 1")
                    .bind(pending)
                    .fetch_optional(pool)
                    .await?;
            (count, oldest)
        });
        Ok((u64::try_from(count).unwrap_or_default(), oldest))
    }
}
