//! Merchants' virtual clocks (API.md "Sandbox controls") and the work that falls due by them.
//! A merchant without a row in `clocks` lives in real time. Every write of a merchant's
//! payments reads its clock in its own transaction (`merchant_now!`), so a deadline is judged
//! by the clock as it stands when the change is made, on any replica.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::snapshot::{parse_id, parse_status};
use super::{Store, StoreError, StoreResult, read, transaction};
use crate::domain::{DomainError, PaymentIntentId, Status, Transition, TransitionKind, VirtualClock};

/// How long an advance holds the merchant's writes without renewing: each step renews it.
pub const ADVANCE_LEASE: TimeDelta = TimeDelta::seconds(60);

/// A `clocks` row.
#[derive(sqlx::FromRow)]
pub struct ClockRow {
    frozen_at: Option<DateTime<Utc>>,
    offset_us: i64,
    advancing_until: Option<DateTime<Utc>>,
}

impl ClockRow {
    fn clock(&self) -> VirtualClock {
        match self.frozen_at {
            Some(at) => VirtualClock::Frozen { at },
            None => VirtualClock::Running { offset: TimeDelta::microseconds(self.offset_us) },
        }
    }

    fn advancing(&self, real: DateTime<Utc>) -> bool {
        self.advancing_until.is_some_and(|until| until > real)
    }
}

/// A merchant's clock, and whether an advance holds its writes now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockState {
    pub clock: VirtualClock,
    pub advancing: bool,
}

impl ClockState {
    pub(super) fn of(row: Option<&ClockRow>, real: DateTime<Utc>) -> Self {
        match row {
            Some(row) => Self { clock: row.clock(), advancing: row.advancing(real) },
            None => Self { clock: VirtualClock::default(), advancing: false },
        }
    }
}

/// `$merchant`'s [`ClockState`], read in the caller's transaction.
macro_rules! merchant_clock {
    ($tx:expr, $merchant:expr, $real:expr) => {{
        let row: Option<crate::store::clocks::ClockRow> =
            sqlx::query_as("SELECT frozen_at, offset_us, advancing_until FROM clocks WHERE merchant_id = $1")
                .bind($merchant)
                .fetch_optional(&mut *$tx)
                .await?;
        crate::store::clocks::ClockState::of(row.as_ref(), $real)
    }};
}
pub(crate) use merchant_clock;

/// What falls due by a merchant's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueKind {
    /// A payment intent waiting for payment reaches its `expires_at`.
    PaymentIntentExpiry,
    /// An authorization reaches its capture deadline.
    AuthorizationExpiry,
    /// A debit settles.
    DebitSettlement,
    /// A webhook delivery's next attempt.
    WebhookAttempt,
}

impl DueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PaymentIntentExpiry => "payment_intent_expiry",
            Self::AuthorizationExpiry => "authorization_expiry",
            Self::DebitSettlement => "debit_settlement",
            Self::WebhookAttempt => "webhook_attempt",
        }
    }
}

/// What a piece of due work changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DueObject {
    Intent(PaymentIntentId),
    /// A delivery (its id), of an event (its id).
    Delivery {
        id: String,
        event: String,
    },
}

/// One piece of work due at a time: what it is, and what it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueWork {
    pub kind: DueKind,
    pub object: DueObject,
    pub due_at: DateTime<Utc>,
}

impl DueWork {
    /// The intent and the transition it makes, for work on a payment intent.
    pub fn transition(&self) -> Option<(&PaymentIntentId, Transition)> {
        let DueObject::Intent(intent) = &self.object else { return None };
        match self.kind {
            DueKind::PaymentIntentExpiry | DueKind::AuthorizationExpiry => Some((intent, Transition::Expire)),
            DueKind::DebitSettlement => Some((intent, Transition::Settle)),
            DueKind::WebhookAttempt => None,
        }
    }

    /// The id the schedule shows: the intent's, or the event's of a delivery.
    pub fn object_id(&self) -> &str {
        match &self.object {
            DueObject::Intent(intent) => intent.as_ref(),
            DueObject::Delivery { event, .. } => event,
        }
    }
}

/// Writes `$merchant`'s clock row in the caller's transaction.
macro_rules! upsert_clock {
    ($tx:expr, $merchant:expr, $clock:expr, $advancing_until:expr, $real:expr) => {{
        let (frozen_at, offset_us) = match $clock {
            VirtualClock::Frozen { at } => (Some(at), 0),
            VirtualClock::Running { offset } => (None, offset.num_microseconds().unwrap_or(i64::MAX)),
        };
        let advancing_until: Option<DateTime<Utc>> = $advancing_until;
        sqlx::query(
            "INSERT INTO clocks (merchant_id, frozen_at, offset_us, advancing_until, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (merchant_id) DO UPDATE SET frozen_at = excluded.frozen_at, \
             offset_us = excluded.offset_us, advancing_until = excluded.advancing_until, \
             updated_at = excluded.updated_at",
        )
        .bind($merchant)
        .bind(frozen_at)
        .bind(offset_us)
        .bind(advancing_until)
        .bind($real)
        .execute(&mut *$tx)
        .await?;
    }};
}

impl Store {
    /// The merchant's clock as it stands.
    pub async fn clock_state(&self, merchant: Uuid) -> StoreResult<ClockState> {
        let row: Option<ClockRow> = read!(self, |pool| {
            sqlx::query_as("SELECT frozen_at, offset_us, advancing_until FROM clocks WHERE merchant_id = $1")
                .bind(merchant)
                .fetch_optional(pool)
                .await?
        });
        Ok(ClockState::of(row.as_ref(), self.clock.now()))
    }

    /// What the merchant's payments read as now.
    pub async fn now_for(&self, merchant: Uuid) -> StoreResult<DateTime<Utc>> {
        Ok(self.clock_state(merchant).await?.clock.now(self.clock.now()))
    }

    /// Changes the merchant's clock by `change` (given the clock and the real now). Refused
    /// while an advance holds it, unless this is that advance (`holder`), whose hold it renews.
    pub async fn set_clock(
        &self,
        merchant: Uuid,
        holder: bool,
        change: impl FnOnce(VirtualClock, DateTime<Utc>) -> Result<VirtualClock, DomainError> + Send,
    ) -> StoreResult<ClockState> {
        transaction!(self, |tx| {
            let real = self.clock.now();
            let before = merchant_clock!(tx, merchant, real);
            if before.advancing && !holder {
                return Err(StoreError::ClockAdvancing);
            }
            let clock = change(before.clock, real)?;
            let advancing_until = holder.then(|| real + ADVANCE_LEASE);
            upsert_clock!(tx, merchant, clock, advancing_until, real);
            Ok(ClockState { clock, advancing: holder })
        })
    }

    /// Takes the merchant's clock for an advance, holding its other writes; refused while
    /// another advance holds it.
    pub async fn hold_clock(&self, merchant: Uuid) -> StoreResult<ClockState> {
        transaction!(self, |tx| {
            let real = self.clock.now();
            let before = merchant_clock!(tx, merchant, real);
            if before.advancing {
                return Err(StoreError::ClockAdvancing);
            }
            upsert_clock!(tx, merchant, before.clock, Some(real + ADVANCE_LEASE), real);
            Ok(ClockState { clock: before.clock, advancing: true })
        })
    }

    /// Lets go of the merchant's clock after an advance.
    pub async fn release_clock(&self, merchant: Uuid) -> StoreResult<()> {
        super::write!(self, |conn| {
            sqlx::query("UPDATE clocks SET advancing_until = NULL WHERE merchant_id = $1")
                .bind(merchant)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// The merchants with a clock of their own: each one's now, and whether an advance holds it.
    pub async fn clocked_merchants(&self) -> StoreResult<Vec<(Uuid, DateTime<Utc>, bool)>> {
        #[derive(sqlx::FromRow)]
        struct Clocked {
            merchant_id: Uuid,
            #[sqlx(flatten)]
            clock: ClockRow,
        }
        let rows: Vec<Clocked> = read!(self, |pool| {
            sqlx::query_as("SELECT merchant_id, frozen_at, offset_us, advancing_until FROM clocks")
                .fetch_all(pool)
                .await?
        });
        let real = self.clock.now();
        Ok(rows
            .into_iter()
            .map(|row| (row.merchant_id, row.clock.clock().now(real), row.clock.advancing(real)))
            .collect())
    }

    /// The merchant's pending work due at or before `up_to` (all of it when `None`), the
    /// earliest first, at most `limit`.
    pub async fn due_work(
        &self,
        merchant: Uuid,
        up_to: Option<DateTime<Utc>>,
        limit: i64,
    ) -> StoreResult<Vec<DueWork>> {
        let &[a, b, c] = TransitionKind::Expire.allowed_from() else {
            return Err(StoreError::Corrupt("the query below binds exactly three expirable statuses".into()));
        };
        let expiring: Vec<(String, String, DateTime<Utc>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, status, expires_at FROM payment_intents WHERE merchant_id = $1 \
                 AND status IN ($2, $3, $4) AND ($5 IS NULL OR expires_at <= $5) ORDER BY expires_at, id LIMIT $6",
            )
            .bind(merchant)
            .bind(a.as_str())
            .bind(b.as_str())
            .bind(c.as_str())
            .bind(up_to)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        let settling: Vec<(String, DateTime<Utc>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, settles_at FROM payment_intents WHERE merchant_id = $1 AND status = $2 \
                 AND ($3 IS NULL OR settles_at <= $3) ORDER BY settles_at, id LIMIT $4",
            )
            .bind(merchant)
            .bind(Status::Processing.as_str())
            .bind(up_to)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        let attempting: Vec<(String, String, DateTime<Utc>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, event_id, next_attempt_at FROM deliveries WHERE merchant_id = $1 AND status = $2 \
                 AND next_attempt_at IS NOT NULL AND ($3 IS NULL OR next_attempt_at <= $3) \
                 ORDER BY next_attempt_at, created_at LIMIT $4",
            )
            .bind(merchant)
            .bind(crate::domain::webhook::DeliveryStatus::Pending.as_str())
            .bind(up_to)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        let mut work = Vec::with_capacity(expiring.len() + settling.len() + attempting.len());
        for (id, status, due_at) in expiring {
            let kind = if parse_status(&status)? == Status::Authorized {
                DueKind::AuthorizationExpiry
            } else {
                DueKind::PaymentIntentExpiry
            };
            work.push(DueWork { kind, object: DueObject::Intent(parse_id(&id)?), due_at });
        }
        for (id, due_at) in settling {
            work.push(DueWork { kind: DueKind::DebitSettlement, object: DueObject::Intent(parse_id(&id)?), due_at });
        }
        for (id, event, due_at) in attempting {
            work.push(DueWork { kind: DueKind::WebhookAttempt, object: DueObject::Delivery { id, event }, due_at });
        }
        // Stable among equal times: by kind, then by id.
        work.sort_by(|x, y| (x.due_at, x.kind as u8, x.object_id()).cmp(&(y.due_at, y.kind as u8, y.object_id())));
        work.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(work)
    }
}
