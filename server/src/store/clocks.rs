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
#[derive(Clone, sqlx::FromRow)]
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

/// Where a payment write gets its merchant's clock row ([`Store::settled_clock`]).
pub enum Settled {
    Cached(std::sync::Arc<Option<ClockRow>>),
    /// Read it, and keep it if nothing changed since `epoch`.
    Fill(u64),
    /// Read it, and keep nothing.
    Read,
}

/// A merchant's clock, and whether an advance holds its writes now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockState {
    pub clock: VirtualClock,
    pub advancing: bool,
    /// Whether the merchant has a row (without one, it lives in real time).
    stored: bool,
}

impl ClockState {
    pub(super) fn of(row: Option<&ClockRow>, real: DateTime<Utc>) -> Self {
        match row {
            Some(row) => Self { clock: row.clock(), advancing: row.advancing(real), stored: true },
            None => Self { clock: VirtualClock::default(), advancing: false, stored: false },
        }
    }
}

/// The columns a clock is written as.
fn columns(clock: VirtualClock) -> (Option<DateTime<Utc>>, i64) {
    match clock {
        VirtualClock::Frozen { at } => (Some(at), 0),
        VirtualClock::Running { offset } => (None, offset.num_microseconds().unwrap_or(i64::MAX)),
    }
}

/// `$merchant`'s [`ClockState`], read in the caller's transaction (`$store`'s). On PostgreSQL
/// the row is share-locked until the transaction ends, so an advance cannot take the clock
/// between this read and the write made by it (SQLite's one writer rules that out already).
/// A payment write (no lock named) takes the row from the embedded mode's cache when
/// [`Store::settled_clock`] allows it, and fills the cache when it may.
macro_rules! merchant_clock {
    (@row $store:expr, $tx:expr, $merchant:expr, $lock:literal) => {{
        let sql = match &$store.db {
            crate::store::Db::Postgres(_) => {
                concat!("SELECT frozen_at, offset_us, advancing_until FROM clocks WHERE merchant_id = $1", $lock)
            }
            crate::store::Db::Sqlite { .. } => {
                "SELECT frozen_at, offset_us, advancing_until FROM clocks WHERE merchant_id = $1"
            }
        };
        let row: Option<crate::store::clocks::ClockRow> =
            sqlx::query_as(sql).bind($merchant).fetch_optional(&mut *$tx).await?;
        row
    }};
    ($store:expr, $tx:expr, $merchant:expr, $real:expr) => {{
        let merchant: uuid::Uuid = $merchant;
        match $store.settled_clock(merchant) {
            crate::store::clocks::Settled::Cached(row) => crate::store::clocks::ClockState::of(row.as_ref().as_ref(), $real),
            settled => {
                let row = merchant_clock!(@row $store, $tx, merchant, " FOR SHARE");
                let state = crate::store::clocks::ClockState::of(row.as_ref(), $real);
                if let crate::store::clocks::Settled::Fill(epoch) = settled {
                    $store.fill_clock(merchant, row, epoch);
                }
                state
            }
        }
    }};
    // A change of the clock itself locks its row for update: two changes wait for each other
    // instead of deadlocking on an upgrade.
    ($store:expr, $tx:expr, $merchant:expr, $real:expr, $lock:literal) => {{
        let row = merchant_clock!(@row $store, $tx, $merchant, $lock);
        crate::store::clocks::ClockState::of(row.as_ref(), $real)
    }};
}
pub(crate) use merchant_clock;

/// Which pending work a sweep of clocked merchants looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    Deliveries,
    PaymentIntents,
}

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

/// Writes `$clock` as `$merchant`'s clock, the row read by `merchant_clock!(…, " FOR UPDATE")`
/// in this transaction as `$before` (so nobody changed it since); with `$hold = Some((until,
/// token))` it takes the hold too. Yields whether it did: a row that did not exist when read
/// may have been made meanwhile by another change, which then wins.
macro_rules! write_clock {
    ($tx:expr, $merchant:expr, $before:expr, $clock:expr, $hold:expr, $real:expr) => {{
        let (frozen_at, offset_us) = columns($clock);
        let hold: Option<(DateTime<Utc>, &str)> = $hold;
        let sql = if $before.stored {
            "UPDATE clocks SET frozen_at = $2, offset_us = $3, advancing_until = $4, advance_token = $5, \
             updated_at = $6 WHERE merchant_id = $1"
        } else {
            "INSERT INTO clocks (merchant_id, frozen_at, offset_us, advancing_until, advance_token, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (merchant_id) DO NOTHING"
        };
        sqlx::query(sql)
            .bind($merchant)
            .bind(frozen_at)
            .bind(offset_us)
            .bind(hold.map(|(until, _)| until))
            .bind(hold.map(|(_, token)| token))
            .bind($real)
            .execute(&mut *$tx)
            .await?
            .rows_affected()
            == 1
    }};
}

impl Store {
    /// The merchant's clock as it stands.
    pub async fn clock_state(&self, merchant: Uuid) -> StoreResult<ClockState> {
        let cached = self.cache.as_ref().map(|cache| (cache.clocks.get(&merchant), cache.clocks.epoch()));
        if let Some((Some(row), _)) = &cached {
            return Ok(ClockState::of(row.as_ref().as_ref(), self.clock.now()));
        }
        let row: Option<ClockRow> = read!(self, |pool| {
            sqlx::query_as("SELECT frozen_at, offset_us, advancing_until FROM clocks WHERE merchant_id = $1")
                .bind(merchant)
                .fetch_optional(pool)
                .await?
        });
        let state = ClockState::of(row.as_ref(), self.clock.now());
        if let (Some(cache), Some((None, epoch))) = (&self.cache, cached) {
            cache.clocks.fill(merchant, row, epoch);
        }
        Ok(state)
    }

    /// Whether a write in the SQLite writer's turn may take `merchant`'s clock row from the
    /// cache. It may while no clock change is under way anywhere: every change invalidates the
    /// entry once its batch has committed, and until then it may have written a row in the open
    /// batch that the cache (filled from committed reads) cannot know of. Clock changes are
    /// rare test-helper calls; every payment write reads the clock.
    pub(super) fn settled_clock(&self, merchant: Uuid) -> Settled {
        let Some(cache) = &self.cache else { return Settled::Read };
        if cache.clocks_changing.load(std::sync::atomic::Ordering::SeqCst) > 0 {
            return Settled::Read;
        }
        let epoch = cache.clocks.epoch();
        match cache.clocks.get(&merchant) {
            Some(row) => Settled::Cached(row),
            None => Settled::Fill(epoch),
        }
    }

    /// Keeps a row read in the writer's turn, as [`Store::settled_clock`] allowed.
    pub(super) fn fill_clock(&self, merchant: Uuid, row: Option<ClockRow>, epoch: u64) {
        if let Some(cache) = &self.cache {
            cache.clocks.fill(merchant, row, epoch);
        }
    }

    /// What the merchant's payments read as now.
    pub async fn now_for(&self, merchant: Uuid) -> StoreResult<DateTime<Utc>> {
        Ok(self.clock_state(merchant).await?.clock.now(self.clock.now()))
    }

    /// What the payments of `intent`'s merchant read as now (real time when it has no clock, or
    /// there is no such intent: its transition will say so).
    pub async fn now_for_intent(&self, intent: &PaymentIntentId) -> StoreResult<DateTime<Utc>> {
        let row: Option<ClockRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT c.frozen_at, c.offset_us, c.advancing_until FROM clocks c \
                 JOIN payment_intents p ON p.merchant_id = c.merchant_id WHERE p.id = $1",
            )
            .bind(intent.as_ref())
            .fetch_optional(pool)
            .await?
        });
        let real = self.clock.now();
        Ok(ClockState::of(row.as_ref(), real).clock.now(real))
    }

    /// Changes the merchant's clock by `change` (given the clock and the real now); refused
    /// (`ClockAdvancing`) while an advance holds it, or when another change won the race.
    pub async fn set_clock(
        &self,
        merchant: Uuid,
        change: impl FnOnce(VirtualClock, DateTime<Utc>) -> Result<VirtualClock, DomainError> + Send,
    ) -> StoreResult<ClockState> {
        let (_, clock) = self.change_clock(merchant, None, change).await?;
        Ok(ClockState { clock, advancing: false, stored: true })
    }

    /// Takes the merchant's clock for an advance under `token`, stopping it at its now, and
    /// holding the merchant's other writes; refused while another advance holds it. Yields the
    /// clock as it was (its mode is the one the advance leaves it in).
    pub async fn hold_clock(&self, merchant: Uuid, token: &str) -> StoreResult<VirtualClock> {
        let stop = |clock: VirtualClock, real| Ok(VirtualClock::Frozen { at: clock.now(real) });
        Ok(self.change_clock(merchant, Some(token), stop).await?.0)
    }

    /// The clock before and after `change`, taking the hold for `token` when given; the row is
    /// locked from the read to the write.
    async fn change_clock(
        &self,
        merchant: Uuid,
        token: Option<&str>,
        change: impl FnOnce(VirtualClock, DateTime<Utc>) -> Result<VirtualClock, DomainError> + Send,
    ) -> StoreResult<(VirtualClock, VirtualClock)> {
        let _changing = self.changing_clock(merchant);
        transaction!(self, |tx| {
            let real = self.clock.now();
            let before = merchant_clock!(self, tx, merchant, real, " FOR UPDATE");
            if before.advancing {
                return Err(StoreError::ClockAdvancing);
            }
            let after = change(before.clock, real)?;
            let hold = token.map(|token| (real + ADVANCE_LEASE, token));
            if !write_clock!(tx, merchant, &before, after, hold, real) {
                return Err(StoreError::ClockAdvancing);
            }
            Ok((before.clock, after))
        })
    }

    /// Sets the clock of an advance that holds it under `token`, renewing the hold; refused
    /// (`ClockAdvancing`) when the advance has lost it (its lease ran out and another took it).
    pub async fn step_clock(&self, merchant: Uuid, token: &str, clock: VirtualClock) -> StoreResult<()> {
        let _changing = self.changing_clock(merchant);
        let real = self.clock.now();
        let (frozen_at, offset_us) = columns(clock);
        let updated = super::write!(self, |conn| {
            sqlx::query(
                "UPDATE clocks SET frozen_at = $3, offset_us = $4, advancing_until = $5, updated_at = $6 \
                 WHERE merchant_id = $1 AND advance_token = $2",
            )
            .bind(merchant)
            .bind(token)
            .bind(frozen_at)
            .bind(offset_us)
            .bind(real + ADVANCE_LEASE)
            .bind(real)
            .execute(conn)
            .await?
            .rows_affected()
        });
        if updated == 1 { Ok(()) } else { Err(StoreError::ClockAdvancing) }
    }

    /// Lets go of the hold `token` has on the merchant's clock, if it still has it.
    pub async fn release_clock(&self, merchant: Uuid, token: &str) -> StoreResult<()> {
        let _changing = self.changing_clock(merchant);
        super::write!(self, |conn| {
            sqlx::query(
                "UPDATE clocks SET advancing_until = NULL, advance_token = NULL \
                 WHERE merchant_id = $1 AND advance_token = $2",
            )
            .bind(merchant)
            .bind(token)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// The merchants with a clock of their own and some pending `work`: each one's now, and
    /// whether an advance holds it.
    pub async fn clocked_merchants(&self, work: Pending) -> StoreResult<Vec<(Uuid, DateTime<Utc>, bool)>> {
        #[derive(sqlx::FromRow)]
        struct Clocked {
            merchant_id: Uuid,
            #[sqlx(flatten)]
            clock: ClockRow,
        }
        let &[a, b, c] = TransitionKind::Expire.allowed_from() else {
            return Err(StoreError::Corrupt("the query below binds exactly three expirable statuses".into()));
        };
        let rows: Vec<Clocked> = read!(self, |pool| {
            match work {
                Pending::Deliveries => sqlx::query_as(
                    "SELECT merchant_id, frozen_at, offset_us, advancing_until FROM clocks \
                     WHERE merchant_id IN (SELECT merchant_id FROM deliveries WHERE status = $1)",
                )
                .bind(crate::domain::webhook::DeliveryStatus::Pending.as_str()),
                Pending::PaymentIntents => sqlx::query_as(
                    "SELECT merchant_id, frozen_at, offset_us, advancing_until FROM clocks \
                     WHERE merchant_id IN (SELECT merchant_id FROM payment_intents WHERE status IN ($1, $2, $3, $4))",
                )
                .bind(a.as_str())
                .bind(b.as_str())
                .bind(c.as_str())
                .bind(Status::Processing.as_str()),
            }
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
