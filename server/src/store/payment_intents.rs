//! Payment intents and their refunds. Every transition is one transaction: read the intent,
//! let the domain decide what the transition makes of it (`PaymentIntent::apply`), write that
//! with ONE conditional UPDATE guarded by the values it was judged on, and append the event
//! (and the refund, and the request's idempotent answer) in the same transaction. Concurrent
//! transitions can never both win: the loser's guard matches no row, and it is judged again on
//! the row as it now is. No status or rule is spelled here: the domain supplies them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::charges::{follow_charge, insert_charge};
use super::clocks::merchant_clock;
use super::idempotency::save_answer;
use super::snapshot::{
    AuthenticationSnapshot, DeclineSnapshot, IntentSnapshot, PaymentMethodParts, RefundSnapshot, SettlementAnswer,
    Snapshot, parse_capture_method, parse_charge_id, parse_currency, parse_id, parse_reason, parse_refund_status,
    parse_status,
};
use super::{Page, Resource, SaveAnswer, Store, StoreError, StoreResult, cursor, read, transaction};
use crate::domain::{
    CaptureMethod, ChargeWrite, Currency, Email, EventId, EventKind, ExpiresIn, HttpUrl, Metadata, MethodTypes,
    PaymentIntent, PaymentIntentId, Refund, RefundId, RefundReason, RefundStatus, Status, Transition, TransitionKind,
};

macro_rules! intent_columns {
    () => {
        "id, merchant_id, amount, currency, status, capture_method, amount_capturable, amount_received, \
         amount_refunded, success_url, cancel_url, description, customer_email, metadata, attempts, \
         last_payment_error, payment_method_type, card_brand, payment_method_last4, card_exp_month, card_exp_year, \
         payment_method_bank, latest_charge, pending_authentication, pending_settlement, settles_at, \
         payment_method_types, created_at, expires_at"
    };
}

/// A `payment_intents` row as the database has it; parsed into a [`PaymentIntent`] at once.
#[derive(sqlx::FromRow)]
struct IntentRow {
    id: String,
    merchant_id: Uuid,
    amount: i64,
    currency: String,
    status: String,
    capture_method: String,
    amount_capturable: i64,
    amount_received: i64,
    amount_refunded: i64,
    success_url: String,
    cancel_url: String,
    description: Option<String>,
    customer_email: Option<String>,
    /// JSON object of strings.
    metadata: String,
    attempts: i64,
    /// JSON of the last decline, or null.
    last_payment_error: Option<String>,
    /// `card`, `sepa_debit` or `au_becs_debit`; null with no payment method, or for a card
    /// stored before debits.
    payment_method_type: Option<String>,
    card_brand: Option<String>,
    payment_method_last4: Option<String>,
    card_exp_month: Option<i64>,
    card_exp_year: Option<i64>,
    payment_method_bank: Option<String>,
    latest_charge: Option<String>,
    /// JSON of the authentication a `requires_action` intent waits for, or null.
    pending_authentication: Option<String>,
    /// JSON of the bank's answer a `processing` intent waits for, at `settles_at`.
    pending_settlement: Option<String>,
    settles_at: Option<DateTime<Utc>>,
    /// Comma-separated method names.
    payment_method_types: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl TryFrom<IntentRow> for PaymentIntent {
    type Error = StoreError;
    fn try_from(row: IntentRow) -> StoreResult<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("payment intent {}: {what}", row.id));
        let metadata: serde_json::Value = serde_json::from_str(&row.metadata).map_err(|_| corrupt("metadata"))?;
        let last_payment_error = match &row.last_payment_error {
            Some(raw) => Some(
                serde_json::from_str::<DeclineSnapshot>(raw)
                    .map_err(|_| corrupt("last_payment_error"))?
                    .into_domain()?,
            ),
            None => None,
        };
        if row.status == Status::RequiresAction.as_str()
            && (row.pending_authentication.is_none() || row.payment_method_last4.is_none())
        {
            return Err(corrupt("requires_action without its card or pending authentication"));
        }
        let pending_settlement = match (&row.pending_settlement, row.settles_at) {
            (Some(raw), Some(at)) => Some(SettlementAnswer::parse(raw, at)?),
            (None, None) => None,
            _ => return Err(corrupt("pending_settlement without settles_at, or the other way round")),
        };
        if row.status == Status::Processing.as_str()
            && (pending_settlement.is_none() || row.payment_method_last4.is_none())
        {
            return Err(corrupt("processing without its account or pending settlement"));
        }
        let payment_method = match row.payment_method_last4.clone() {
            Some(last4) => Some(
                PaymentMethodParts {
                    kind: row.payment_method_type.clone(),
                    brand: row.card_brand.clone(),
                    last4,
                    exp_month: row.card_exp_month,
                    exp_year: row.card_exp_year,
                    bank: row.payment_method_bank.clone(),
                }
                .parse()?,
            ),
            None => None,
        };
        Ok(Self {
            id: parse_id(&row.id)?,
            merchant_id: row.merchant_id,
            amount: row.amount,
            currency: parse_currency(&row.currency)?,
            status: parse_status(&row.status)?,
            capture_method: parse_capture_method(&row.capture_method)?,
            amount_capturable: row.amount_capturable,
            amount_received: row.amount_received,
            amount_refunded: row.amount_refunded,
            success_url: row.success_url,
            cancel_url: row.cancel_url,
            description: row.description,
            customer_email: row.customer_email,
            metadata: Metadata::parse(Some(&metadata))?,
            payment_method_types: MethodTypes::from_names(row.payment_method_types.split(','))
                .ok_or_else(|| corrupt("payment_method_types"))?,
            attempts: row.attempts,
            last_payment_error,
            payment_method,
            latest_charge: row.latest_charge.as_deref().map(parse_charge_id).transpose()?,
            pending_authentication: match &row.pending_authentication {
                Some(raw) => Some(
                    serde_json::from_str::<AuthenticationSnapshot>(raw)
                        .map_err(|_| corrupt("pending_authentication"))?
                        .into_domain()?,
                ),
                None => None,
            },
            pending_settlement,
            created_at: row.created_at,
            expires_at: row.expires_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RefundRow {
    id: String,
    payment_intent_id: String,
    amount: i64,
    reason: Option<String>,
    status: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<RefundRow> for Refund {
    type Error = StoreError;
    fn try_from(row: RefundRow) -> StoreResult<Self> {
        Ok(Self {
            id: RefundId::parse(&row.id).map_err(|_| StoreError::Corrupt(format!("a refund id {:?}", row.id)))?,
            payment_intent: parse_id(&row.payment_intent_id)?,
            amount: row.amount,
            reason: row.reason.as_deref().map(parse_reason).transpose()?,
            status: parse_refund_status(&row.status)?,
            created_at: row.created_at,
        })
    }
}

/// What a create request carries, parsed.
pub struct NewPaymentIntent {
    pub merchant: Uuid,
    pub amount: crate::domain::Amount,
    pub currency: Currency,
    pub capture_method: CaptureMethod,
    pub success_url: HttpUrl,
    pub cancel_url: HttpUrl,
    pub description: Option<String>,
    pub customer_email: Option<Email>,
    pub metadata: Metadata,
    pub payment_method_types: crate::domain::MethodTypes,
    /// `expires_at` is `created_at` plus this, to the microsecond.
    pub expires_in: ExpiresIn,
}

/// What a transition leaves: the intent after it, and the refund it made, if any.
#[derive(Debug, Clone)]
pub struct Transitioned {
    pub intent: PaymentIntent,
    pub refund: Option<Refund>,
}

/// Appends an event with the snapshot of its object and, when the merchant has a webhook
/// endpoint, its delivery (the outbox), in the caller's transaction (`$store`'s): the change,
/// its event and the delivery commit together, so a crash loses none. The event is stamped
/// `$now`, the merchant's time, and its delivery is due at once by it. Yields whether a
/// delivery was queued.
macro_rules! append_event {
    ($store:expr, $tx:expr, $merchant:expr, $intent:expr, $kind:expr, $snapshot:expr, $now:expr) => {{
        let kind: EventKind = $kind;
        let event = EventId::generate();
        let intent: &PaymentIntentId = $intent;
        // The same two inserts; PostgreSQL makes them in one round trip.
        let one_statement = matches!(&$store.db, crate::store::Db::Postgres(_));
        let sql = if one_statement {
            "WITH event AS (INSERT INTO events (id, merchant_id, payment_intent_id, type, data, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6) RETURNING id) \
                 INSERT INTO deliveries (id, event_id, merchant_id, status, attempts, next_attempt_at, created_at) \
                 SELECT $7, event.id, merchants.id, $8, 0, $6, $6 FROM event, merchants \
                 WHERE merchants.id = $2 AND merchants.webhook_url IS NOT NULL"
        } else {
            "INSERT INTO events (id, merchant_id, payment_intent_id, type, data, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)"
        };
        let delivery = crate::domain::DeliveryId::generate();
        let pending = crate::domain::webhook::DeliveryStatus::Pending.as_str();
        let query = sqlx::query(sql)
            .bind(event.as_ref())
            .bind($merchant)
            .bind(intent.as_ref())
            .bind(kind.as_str())
            .bind($snapshot.to_json()?)
            .bind($now);
        if one_statement {
            query.bind(delivery.as_ref()).bind(pending).execute(&mut *$tx).await?.rows_affected() > 0
        } else {
            query.execute(&mut *$tx).await?;
            sqlx::query(
                "INSERT INTO deliveries (id, event_id, merchant_id, status, attempts, next_attempt_at, created_at) \
                     SELECT $1, $2, id, $3, 0, $4, $4 FROM merchants WHERE id = $5 AND webhook_url IS NOT NULL",
            )
            .bind(delivery.as_ref())
            .bind(event.as_ref())
            .bind(pending)
            .bind($now)
            .bind($merchant)
            .execute(&mut *$tx)
            .await?
            .rows_affected()
                > 0
        }
    }};
}

/// Inserts a refund in the caller's transaction; yields the [`Refund`].
macro_rules! insert_refund {
    ($tx:expr, $intent:expr, $amount:expr, $reason:expr, $now:expr) => {{
        let refund = Refund {
            id: RefundId::generate(),
            payment_intent: $intent.clone(),
            amount: $amount,
            reason: $reason,
            status: RefundStatus::Succeeded,
            created_at: $now,
        };
        sqlx::query(
            "INSERT INTO refunds (id, payment_intent_id, amount, reason, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(refund.id.as_ref())
        .bind(refund.payment_intent.as_ref())
        .bind(refund.amount)
        .bind(refund.reason.map(RefundReason::as_str))
        .bind(refund.status.as_str())
        .bind(refund.created_at)
        .execute(&mut *$tx)
        .await?;
        refund
    }};
}

fn method_types_text(methods: &MethodTypes) -> String {
    methods.as_slice().iter().map(|m| m.as_str()).collect::<Vec<_>>().join(",")
}

fn authentication_json(intent: &PaymentIntent) -> StoreResult<Option<String>> {
    intent
        .pending_authentication
        .as_ref()
        .map(|pending| serde_json::to_string(&AuthenticationSnapshot::from(pending)))
        .transpose()
        .map_err(|err| StoreError::Corrupt(err.to_string()))
}

fn decline_json(intent: &PaymentIntent) -> StoreResult<Option<String>> {
    intent
        .last_payment_error
        .as_ref()
        .map(|decline| serde_json::to_string(&DeclineSnapshot::from(decline)))
        .transpose()
        .map_err(|err| StoreError::Corrupt(err.to_string()))
}

fn metadata_json(metadata: &Metadata) -> StoreResult<String> {
    serde_json::to_string(metadata.as_map()).map_err(|err| StoreError::Corrupt(err.to_string()))
}

impl Store {
    pub async fn create_payment_intent(
        &self,
        new: NewPaymentIntent,
        save: Option<SaveAnswer<'_, PaymentIntent>>,
    ) -> StoreResult<PaymentIntent> {
        transaction!(self, |tx| {
            let real = self.clock.now();
            let clock = merchant_clock!(self, tx, new.merchant, real);
            if clock.advancing {
                return Err(StoreError::ClockAdvancing);
            }
            let now = clock.clock.now(real);
            let intent = PaymentIntent {
                id: PaymentIntentId::generate(),
                merchant_id: new.merchant,
                amount: new.amount.get(),
                currency: new.currency,
                status: Status::RequiresPaymentMethod,
                capture_method: new.capture_method,
                amount_capturable: 0,
                amount_received: 0,
                amount_refunded: 0,
                success_url: new.success_url.as_ref().to_owned(),
                cancel_url: new.cancel_url.as_ref().to_owned(),
                description: new.description.clone(),
                customer_email: new.customer_email.as_ref().map(|e| e.as_ref().to_owned()),
                metadata: new.metadata.clone(),
                payment_method_types: new.payment_method_types.clone(),
                attempts: 0,
                last_payment_error: None,
                payment_method: None,
                latest_charge: None,
                pending_authentication: None,
                pending_settlement: None,
                created_at: now,
                expires_at: now + new.expires_in.duration(),
            };
            sqlx::query(
                "INSERT INTO payment_intents (id, merchant_id, amount, currency, status, capture_method, \
                 success_url, cancel_url, description, customer_email, metadata, created_at, expires_at, \
                 payment_method_types) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(intent.id.as_ref())
            .bind(intent.merchant_id)
            .bind(intent.amount)
            .bind(intent.currency.code())
            .bind(intent.status.as_str())
            .bind(intent.capture_method.as_str())
            .bind(&intent.success_url)
            .bind(&intent.cancel_url)
            .bind(&intent.description)
            .bind(&intent.customer_email)
            .bind(metadata_json(&intent.metadata)?)
            .bind(intent.created_at)
            .bind(intent.expires_at)
            .bind(method_types_text(&intent.payment_method_types))
            .execute(&mut *tx)
            .await?;
            let snapshot = Snapshot::PaymentIntent(Box::new(IntentSnapshot::from(&intent)));
            let queued =
                append_event!(self, tx, intent.merchant_id, &intent.id, EventKind::PaymentIntentCreated, snapshot, now);
            if let Some(save) = &save {
                save_answer!(tx, save.hold, &(save.render)(&intent));
            }
            Ok((intent, queued))
        })
        .map(|(intent, queued)| {
            self.wake_outbox(queued);
            intent
        })
    }

    /// An intent by id; with `merchant`, only that merchant's (another's is `NotFound`).
    pub async fn get_payment_intent(&self, merchant: Option<Uuid>, id: &PaymentIntentId) -> StoreResult<PaymentIntent> {
        let cached = self.cache.as_ref().map(|c| (c.intents.get(&id.to_string()), c.intents.epoch()));
        let intent: PaymentIntent = match cached {
            Some((Some(intent), _)) => (*intent).clone(),
            _ => {
                let row: Option<IntentRow> = read!(self, |pool| {
                    sqlx::query_as(concat!("SELECT ", intent_columns!(), " FROM payment_intents WHERE id = $1"))
                        .bind(id.as_ref())
                        .fetch_optional(pool)
                        .await?
                });
                let intent = PaymentIntent::try_from(row.ok_or(StoreError::NotFound(Resource::PaymentIntent))?)?;
                if let (Some(cache), Some((_, epoch))) = (&self.cache, cached) {
                    cache.intents.fill(intent.id.to_string(), intent.clone(), epoch);
                }
                intent
            }
        };
        if merchant.is_some_and(|m| m != intent.merchant_id) {
            return Err(StoreError::NotFound(Resource::PaymentIntent));
        }
        Ok(intent)
    }

    /// The merchant's intents, newest first; with `status`, those that read as that status
    /// now (an intent past its deadline is `expired` before the sweeper writes it down).
    pub async fn list_payment_intents(
        &self,
        merchant: Uuid,
        status: Option<Status>,
        page: Page<PaymentIntentId>,
    ) -> StoreResult<(Vec<PaymentIntent>, bool)> {
        let (after_at, after_seq) = cursor!(
            self,
            "SELECT created_at, seq FROM payment_intents WHERE merchant_id = $1 AND id = $2",
            merchant,
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            i64
        );
        let &[expirable_a, expirable_b, expirable_c] = TransitionKind::Expire.allowed_from() else {
            return Err(StoreError::Corrupt("the query below binds exactly three expirable statuses".into()));
        };
        // Stored as `status` and, for a status with a deadline, not past it; or, for `expired`,
        // also any intent whose deadline has passed.
        let live_only = i64::from(status.is_some_and(Status::can_expire));
        let also_due = i64::from(status == Some(Status::Expired));
        let now = self.now_for(merchant).await?;
        let rows: Vec<IntentRow> = read!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                intent_columns!(),
                " FROM payment_intents WHERE merchant_id = $1 \
                 AND ($2 IS NULL OR (status = $2 AND ($7 = 0 OR expires_at > $6)) \
                      OR ($8 = 1 AND status IN ($9, $10, $11) AND expires_at <= $6)) \
                 AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND seq < $4)) \
                 ORDER BY created_at DESC, seq DESC LIMIT $5"
            ))
            .bind(merchant)
            .bind(status.map(Status::as_str))
            .bind(after_at)
            .bind(after_seq)
            .bind(i64::from(page.limit) + 1)
            .bind(now)
            .bind(live_only)
            .bind(also_due)
            .bind(expirable_a.as_str())
            .bind(expirable_b.as_str())
            .bind(expirable_c.as_str())
            .fetch_all(pool)
            .await?
        });
        let intents = rows.into_iter().map(PaymentIntent::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok(super::split_page(intents, page.limit))
    }

    /// Applies `transition` to the intent `id` (of `merchant`, when given): the change, its
    /// event, its refund and `save`'s answer commit together, or nothing does. A refusal comes
    /// back as `Refused`, judged on the intent as it stood inside the transaction.
    pub async fn transition(
        &self,
        merchant: Option<Uuid>,
        id: &PaymentIntentId,
        transition: &Transition,
        save: Option<SaveAnswer<'_, Transitioned>>,
    ) -> StoreResult<Transitioned> {
        let _changing = self.changing_intent(id.as_ref());
        transaction!(self, |tx| {
            loop {
                let row: Option<IntentRow> =
                    sqlx::query_as(concat!("SELECT ", intent_columns!(), " FROM payment_intents WHERE id = $1"))
                        .bind(id.as_ref())
                        .fetch_optional(&mut *tx)
                        .await?;
                let before = PaymentIntent::try_from(row.ok_or(StoreError::NotFound(Resource::PaymentIntent))?)?;
                if merchant.is_some_and(|m| m != before.merchant_id) {
                    return Err(StoreError::NotFound(Resource::PaymentIntent));
                }
                // Read once the transaction holds the write lock (SQLite), so a deadline is
                // judged by the merchant's clock when the change is made, not when the request
                // arrived. While an advance holds the clock, only its own work goes on.
                let real = self.clock.now();
                let clock = merchant_clock!(self, tx, before.merchant_id, real);
                let by_the_clock = matches!(transition.kind(), TransitionKind::Expire | TransitionKind::Settle);
                if clock.advancing && !by_the_clock {
                    return Err(StoreError::ClockAdvancing);
                }
                let now = clock.clock.now(real);
                let applied = before.apply(transition, now).map_err(StoreError::Refused)?;
                let after = &applied.after;
                let method = after.payment_method.as_ref();
                let card = method.and_then(|m| m.card());
                let settlement = after.pending_settlement.as_ref();
                // Guarded by every value a transition changes or is judged on: a concurrent
                // transition that committed first (PostgreSQL replicas) makes this match nothing.
                let updated = sqlx::query(
                    "UPDATE payment_intents SET status = $5, amount_capturable = $6, amount_received = $7, \
                     amount_refunded = $8, attempts = $9, last_payment_error = $10, card_brand = $11, \
                     payment_method_last4 = $12, card_exp_month = $13, card_exp_year = $14, expires_at = $15, \
                     latest_charge = $16, pending_authentication = $17, payment_method_type = $18, \
                     payment_method_bank = $19, pending_settlement = $20, settles_at = $21 \
                     WHERE id = $1 AND status = $2 AND attempts = $3 AND amount_refunded = $4",
                )
                .bind(id.as_ref())
                .bind(before.status.as_str())
                .bind(before.attempts)
                .bind(before.amount_refunded)
                .bind(after.status.as_str())
                .bind(after.amount_capturable)
                .bind(after.amount_received)
                .bind(after.amount_refunded)
                .bind(after.attempts)
                .bind(decline_json(after)?)
                .bind(card.map(|c| c.brand.as_str()))
                .bind(method.map(|m| m.last4()))
                .bind(card.map(|c| i64::from(c.exp_month)))
                .bind(card.map(|c| i64::from(c.exp_year)))
                .bind(after.expires_at)
                .bind(after.latest_charge.as_ref().map(AsRef::<str>::as_ref))
                .bind(authentication_json(after)?)
                .bind(method.map(|m| m.method_type().as_str()))
                .bind(method.and_then(|m| m.debit()).map(|d| d.bank.as_str()))
                .bind(settlement.map(SettlementAnswer::to_json).transpose()?)
                .bind(settlement.map(|p| p.settles_at))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if updated == 0 {
                    continue;
                }
                match &applied.charge {
                    Some(ChargeWrite::Insert(charge)) => insert_charge!(tx, after.merchant_id, charge),
                    Some(ChargeWrite::Follow { id, status, outcome, captured, amount_captured, amount_refunded }) => {
                        follow_charge!(tx, id, *status, *outcome, *captured, *amount_captured, *amount_refunded)
                    }
                    None => {}
                }
                let refund = match applied.refunded {
                    Some(amount) => {
                        let reason = match transition {
                            Transition::Refund { reason, .. } => *reason,
                            _ => None,
                        };
                        Some(insert_refund!(tx, id, amount, reason, now))
                    }
                    None => None,
                };
                let snapshot = match &refund {
                    Some(refund) => Snapshot::Refund(RefundSnapshot::from(refund)),
                    None => Snapshot::PaymentIntent(Box::new(IntentSnapshot::from(after))),
                };
                let queued = append_event!(self, tx, after.merchant_id, &after.id, applied.event, snapshot, now);
                let done = Transitioned { intent: applied.after, refund };
                if let Some(save) = &save {
                    save_answer!(tx, save.hold, &(save.render)(&done));
                }
                return Ok((done, queued));
            }
        })
        .map(|(done, queued)| {
            crate::metrics::transition(transition.kind());
            self.wake_outbox(queued);
            done
        })
    }

    /// Wakes the outbox worker when a committed change queued a delivery (most merchants in a
    /// sandbox have no endpoint: waking it for nothing costs a claim, a write turn, each time).
    fn wake_outbox(&self, queued: bool) {
        if queued {
            self.outbox.notify_one();
        }
    }

    pub async fn list_refunds(
        &self,
        merchant: Uuid,
        id: &PaymentIntentId,
        page: Page<RefundId>,
    ) -> StoreResult<(Vec<Refund>, bool)> {
        self.get_payment_intent(Some(merchant), id).await?;
        let (after_at, after_seq) = cursor!(
            self,
            "SELECT created_at, seq FROM refunds WHERE payment_intent_id = $1 AND id = $2",
            id.as_ref(),
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            i64
        );
        let rows: Vec<RefundRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, payment_intent_id, amount, reason, status, created_at FROM refunds \
                 WHERE payment_intent_id = $1 AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND seq < $3)) \
                 ORDER BY created_at DESC, seq DESC LIMIT $4",
            )
            .bind(id.as_ref())
            .bind(after_at)
            .bind(after_seq)
            .bind(i64::from(page.limit) + 1)
            .fetch_all(pool)
            .await?
        });
        let refunds = rows.into_iter().map(Refund::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok(super::split_page(refunds, page.limit))
    }

    /// Ids of intents past their deadline that are not yet written down as expired, oldest
    /// first: the sweeper's work, for the merchants in real time (`due_work` has the others').
    pub async fn due_payment_intents(&self, limit: i64) -> StoreResult<Vec<PaymentIntentId>> {
        let &[expirable_a, expirable_b, expirable_c] = TransitionKind::Expire.allowed_from() else {
            return Err(StoreError::Corrupt("the query below binds exactly three expirable statuses".into()));
        };
        let ids: Vec<String> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM payment_intents WHERE status IN ($1, $2, $5) AND expires_at <= $3 \
                 AND merchant_id NOT IN (SELECT merchant_id FROM clocks) ORDER BY expires_at LIMIT $4",
            )
            .bind(expirable_a.as_str())
            .bind(expirable_b.as_str())
            .bind(self.clock.now())
            .bind(limit)
            .bind(expirable_c.as_str())
            .fetch_all(pool)
            .await?
        });
        ids.iter().map(|id| parse_id(id)).collect()
    }

    /// Ids of `processing` intents whose debit is due to settle, the earliest first: the
    /// sweeper's other work, for the merchants in real time.
    pub async fn due_settlements(&self, limit: i64) -> StoreResult<Vec<PaymentIntentId>> {
        let ids: Vec<String> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM payment_intents WHERE status = $1 AND settles_at <= $2 \
                 AND merchant_id NOT IN (SELECT merchant_id FROM clocks) ORDER BY settles_at LIMIT $3",
            )
            .bind(Status::Processing.as_str())
            .bind(self.clock.now())
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        ids.iter().map(|id| parse_id(id)).collect()
    }
}
