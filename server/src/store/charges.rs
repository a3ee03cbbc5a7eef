//! Charges: one row per attempt to pay an intent, written in the attempt's transaction by
//! `payment_intents::transition` (`insert_charge!`, `follow_charge!`), read here.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::snapshot::{PaymentMethodParts, parse_charge_id, parse_currency, parse_id};
use super::{Page, Resource, Store, StoreError, StoreResult, cursor, read};
use crate::domain::{Charge, ChargeId, ChargeStatus, Decline, DeclineCode, PaymentIntentId};

macro_rules! charge_columns {
    () => {
        "id, payment_intent_id, amount, currency, status, decline_code, method_type, brand, last4, exp_month, \
         exp_year, captured, amount_captured, amount_refunded, created_at, bank"
    };
}

/// Inserts `$charge` (a [`Charge`]) of `$merchant` in the caller's transaction.
macro_rules! insert_charge {
    ($tx:expr, $merchant:expr, $charge:expr) => {{
        let charge: &crate::domain::Charge = $charge;
        let method = &charge.payment_method;
        let card = method.card();
        sqlx::query(concat!(
            "INSERT INTO charges (merchant_id, ",
            crate::store::charges::charge_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
        ))
        .bind($merchant)
        .bind(charge.id.as_ref())
        .bind(charge.payment_intent.as_ref())
        .bind(charge.amount)
        .bind(charge.currency.code())
        .bind(charge.status.as_str())
        .bind(charge.outcome.map(|decline| decline.code.as_str()))
        .bind(method.method_type().as_str())
        .bind(card.map(|c| c.brand.as_str()))
        .bind(method.last4())
        .bind(card.map(|c| i64::from(c.exp_month)))
        .bind(card.map(|c| i64::from(c.exp_year)))
        .bind(charge.captured)
        .bind(charge.amount_captured)
        .bind(charge.amount_refunded)
        .bind(charge.created_at)
        .bind(method.debit().map(|d| d.bank.as_str()))
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Makes charge `$id` follow its intent (its money, its outcome), in the caller's transaction.
macro_rules! follow_charge {
    ($tx:expr, $id:expr, $status:expr, $outcome:expr, $captured:expr, $amount_captured:expr, $amount_refunded:expr) => {{
        let id: &crate::domain::ChargeId = $id;
        let status: crate::domain::ChargeStatus = $status;
        let outcome: Option<crate::domain::Decline> = $outcome;
        sqlx::query(
            "UPDATE charges SET status = $2, decline_code = $3, captured = $4, amount_captured = $5, \
             amount_refunded = $6 WHERE id = $1",
        )
        .bind(id.as_ref())
        .bind(status.as_str())
        .bind(outcome.map(|decline| decline.code.as_str()))
        .bind($captured)
        .bind($amount_captured)
        .bind($amount_refunded)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use {charge_columns, follow_charge, insert_charge};

#[derive(sqlx::FromRow)]
struct ChargeRow {
    id: String,
    payment_intent_id: String,
    amount: i64,
    currency: String,
    status: String,
    decline_code: Option<String>,
    method_type: String,
    brand: Option<String>,
    last4: String,
    exp_month: Option<i64>,
    exp_year: Option<i64>,
    captured: bool,
    amount_captured: i64,
    amount_refunded: i64,
    created_at: DateTime<Utc>,
    bank: Option<String>,
}

impl TryFrom<ChargeRow> for Charge {
    type Error = StoreError;
    fn try_from(row: ChargeRow) -> StoreResult<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("charge {}: {what}", row.id));
        let payment_method = PaymentMethodParts {
            kind: Some(row.method_type.clone()),
            brand: row.brand.clone(),
            last4: row.last4.clone(),
            exp_month: row.exp_month,
            exp_year: row.exp_year,
            bank: row.bank.clone(),
        }
        .parse()?;
        let outcome = match row.decline_code.as_deref() {
            Some(code) => Some(Decline::of(DeclineCode::parse(code).ok_or_else(|| corrupt("decline_code"))?)),
            None => None,
        };
        Ok(Self {
            id: parse_charge_id(&row.id)?,
            payment_intent: parse_id(&row.payment_intent_id)?,
            amount: row.amount,
            currency: parse_currency(&row.currency)?,
            status: ChargeStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
            outcome,
            payment_method,
            captured: row.captured,
            amount_captured: row.amount_captured,
            amount_refunded: row.amount_refunded,
            created_at: row.created_at,
        })
    }
}

impl Store {
    /// The merchant's charges, newest first; with `intent`, that intent's only.
    pub async fn list_charges(
        &self,
        merchant: Uuid,
        intent: Option<&PaymentIntentId>,
        page: Page<ChargeId>,
    ) -> StoreResult<(Vec<Charge>, bool)> {
        let (after_at, after_seq) = cursor!(
            self,
            "SELECT created_at, seq FROM charges WHERE merchant_id = $1 AND id = $2",
            merchant,
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            i64
        );
        let rows: Vec<ChargeRow> = read!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                charge_columns!(),
                " FROM charges WHERE merchant_id = $1 AND ($2 IS NULL OR payment_intent_id = $2) \
                 AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND seq < $4)) \
                 ORDER BY created_at DESC, seq DESC LIMIT $5"
            ))
            .bind(merchant)
            .bind(intent.map(AsRef::<str>::as_ref))
            .bind(after_at)
            .bind(after_seq)
            .bind(i64::from(page.limit) + 1)
            .fetch_all(pool)
            .await?
        });
        let charges = rows.into_iter().map(Charge::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok(super::split_page(charges, page.limit))
    }

    /// One of the merchant's charges (another's is `NotFound`).
    pub async fn get_charge(&self, merchant: Uuid, id: &ChargeId) -> StoreResult<Charge> {
        let row: Option<ChargeRow> = read!(self, |pool| {
            sqlx::query_as(concat!("SELECT ", charge_columns!(), " FROM charges WHERE merchant_id = $1 AND id = $2"))
                .bind(merchant)
                .bind(id.as_ref())
                .fetch_optional(pool)
                .await?
        });
        row.ok_or(StoreError::NotFound(Resource::Charge))?.try_into()
    }
}
