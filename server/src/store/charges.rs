//! Charges: one row per attempt to pay an intent, written in the attempt's transaction by
//! `payment_intents::transition` (`insert_charge!`, `follow_charge!`), read here.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::snapshot::{parse_brand, parse_charge_id, parse_currency, parse_id};
use super::{Page, Resource, Store, StoreError, StoreResult, cursor, read};
use crate::domain::{CardDetails, Charge, ChargeId, ChargeStatus, Decline, DeclineCode, PaymentIntentId};

/// How a card is named in `charges.method_type`.
pub(super) const CARD: &str = "card";

macro_rules! charge_columns {
    () => {
        "id, payment_intent_id, amount, currency, status, decline_code, method_type, brand, last4, exp_month, \
         exp_year, captured, amount_captured, amount_refunded, created_at"
    };
}

/// Inserts `$charge` (a [`Charge`]) of `$merchant` in the caller's transaction.
macro_rules! insert_charge {
    ($tx:expr, $merchant:expr, $charge:expr) => {{
        let charge: &crate::domain::Charge = $charge;
        sqlx::query(concat!(
            "INSERT INTO charges (merchant_id, ",
            crate::store::charges::charge_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        ))
        .bind($merchant)
        .bind(charge.id.as_ref())
        .bind(charge.payment_intent.as_ref())
        .bind(charge.amount)
        .bind(charge.currency.code())
        .bind(charge.status.as_str())
        .bind(charge.outcome.map(|decline| decline.code.as_str()))
        .bind(crate::store::charges::CARD)
        .bind(charge.card.brand.as_str())
        .bind(charge.card.last4.as_str())
        .bind(i64::from(charge.card.exp_month))
        .bind(i64::from(charge.card.exp_year))
        .bind(charge.captured)
        .bind(charge.amount_captured)
        .bind(charge.amount_refunded)
        .bind(charge.created_at)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Moves the money of charge `$id` with its intent's, in the caller's transaction.
macro_rules! follow_charge {
    ($tx:expr, $id:expr, $captured:expr, $amount_captured:expr, $amount_refunded:expr) => {{
        let id: &crate::domain::ChargeId = $id;
        sqlx::query("UPDATE charges SET captured = $2, amount_captured = $3, amount_refunded = $4 WHERE id = $1")
            .bind(id.as_ref())
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
}

impl TryFrom<ChargeRow> for Charge {
    type Error = StoreError;
    fn try_from(row: ChargeRow) -> StoreResult<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("charge {}: {what}", row.id));
        if row.method_type != CARD {
            return Err(corrupt("method_type"));
        }
        let card = CardDetails {
            brand: parse_brand(row.brand.as_deref().ok_or_else(|| corrupt("brand"))?)?,
            last4: row.last4.clone(),
            exp_month: row.exp_month.and_then(|m| u32::try_from(m).ok()).ok_or_else(|| corrupt("exp_month"))?,
            exp_year: row.exp_year.and_then(|y| i32::try_from(y).ok()).ok_or_else(|| corrupt("exp_year"))?,
        };
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
            card,
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
        let (after_at, after_id) = cursor!(
            self,
            "SELECT created_at, id FROM charges WHERE merchant_id = $1 AND id = $2",
            merchant,
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            String
        );
        let rows: Vec<ChargeRow> = read!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                charge_columns!(),
                " FROM charges WHERE merchant_id = $1 AND ($2 IS NULL OR payment_intent_id = $2) \
                 AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4)) \
                 ORDER BY created_at DESC, id DESC LIMIT $5"
            ))
            .bind(merchant)
            .bind(intent.map(AsRef::<str>::as_ref))
            .bind(after_at)
            .bind(after_id)
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
