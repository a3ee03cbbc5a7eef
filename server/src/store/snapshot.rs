//! The stored form of payment objects inside events: the object's fields at the moment of the
//! change, in a format the store owns. Never the HTTP JSON of the day, and never a secret: the
//! API renders a snapshot when an event is read, and derives the client secret then.
//!
//! The field names match the wire of the day snapshots were introduced, so events written
//! before (wire JSON; migration 0003 took their secrets out) read as snapshots too. Also here:
//! parsing the text columns of a payment row into typed values, the one place that does it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{StoreError, StoreResult};
use crate::domain::{
    Brand, CaptureMethod, CardDetails, ChargeId, Currency, DebitDetails, Decline, DeclineCode, Metadata, MethodType,
    MethodTypes, PaymentIntent, PaymentIntentId, PaymentMethodDetails, PendingAuthentication, PendingSettlement,
    Refund, RefundId, RefundReason, RefundStatus, Status,
};

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "object")]
pub enum Snapshot {
    #[serde(rename = "payment_intent")]
    PaymentIntent(Box<IntentSnapshot>),
    #[serde(rename = "refund")]
    Refund(RefundSnapshot),
}

#[derive(Debug, Serialize, Deserialize)]
pub struct IntentSnapshot {
    id: String,
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
    metadata: BTreeMap<String, String>,
    /// Absent in events written before intents named their methods: cards only then.
    #[serde(default = "cards_only")]
    payment_method_types: Vec<String>,
    attempts: i64,
    last_payment_error: Option<DeclineSnapshot>,
    payment_method: Option<MethodSnapshot>,
    /// Absent in events written before charges were.
    #[serde(default)]
    latest_charge: Option<String>,
    #[serde(default)]
    pending_authentication: Option<AuthenticationSnapshot>,
    #[serde(default)]
    pending_settlement: Option<SettlementSnapshot>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// A 3-D Secure authentication an intent waits for, as stored: what the issuer answers once
/// it is completed.
#[derive(Debug, Serialize, Deserialize)]
pub struct AuthenticationSnapshot {
    then: Option<DeclineSnapshot>,
}

impl From<&PendingAuthentication> for AuthenticationSnapshot {
    fn from(pending: &PendingAuthentication) -> Self {
        Self { then: pending.then.as_ref().map(DeclineSnapshot::from) }
    }
}

impl AuthenticationSnapshot {
    pub fn into_domain(self) -> StoreResult<PendingAuthentication> {
        Ok(PendingAuthentication { then: self.then.map(DeclineSnapshot::into_domain).transpose()? })
    }
}

impl From<&PendingSettlement> for SettlementSnapshot {
    fn from(pending: &PendingSettlement) -> Self {
        Self { settles_at: pending.settles_at, then: pending.then.as_ref().map(DeclineSnapshot::from) }
    }
}

impl SettlementSnapshot {
    pub fn into_domain(self) -> StoreResult<PendingSettlement> {
        Ok(PendingSettlement {
            settles_at: self.settles_at,
            then: self.then.map(DeclineSnapshot::into_domain).transpose()?,
        })
    }
}

/// What a `processing` row keeps in its `pending_settlement` column: the bank's answer, `{"then":
/// …}`; the time is the `settles_at` column.
#[derive(Debug, Serialize, Deserialize)]
pub struct SettlementAnswer {
    then: Option<DeclineSnapshot>,
}

impl SettlementAnswer {
    pub fn to_json(pending: &PendingSettlement) -> StoreResult<String> {
        serde_json::to_string(&Self { then: pending.then.as_ref().map(DeclineSnapshot::from) })
            .map_err(|err| StoreError::Corrupt(err.to_string()))
    }

    pub fn parse(raw: &str, settles_at: DateTime<Utc>) -> StoreResult<PendingSettlement> {
        let answer: Self =
            serde_json::from_str(raw).map_err(|_| StoreError::Corrupt(format!("pending_settlement {raw:?}")))?;
        Ok(PendingSettlement { settles_at, then: answer.then.map(DeclineSnapshot::into_domain).transpose()? })
    }
}

/// A decline as stored, in events and in `payment_intents.last_payment_error`: its reason;
/// the network code follows from it.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeclineSnapshot {
    decline_code: String,
}

/// A debit waiting to settle, as stored in events (the `payment_intents` row keeps the time
/// in its own column, for the sweeper).
#[derive(Debug, Serialize, Deserialize)]
pub struct SettlementSnapshot {
    settles_at: DateTime<Utc>,
    then: Option<DeclineSnapshot>,
}

/// What paid, as stored in events. Events written before debits have a card's fields only.
#[derive(Debug, Serialize, Deserialize)]
pub struct MethodSnapshot {
    #[serde(rename = "type", default = "card")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    brand: Option<String>,
    last4: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exp_month: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exp_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bank: Option<String>,
}

fn card() -> String {
    MethodType::Card.as_str().to_owned()
}

impl From<&PaymentMethodDetails> for MethodSnapshot {
    fn from(method: &PaymentMethodDetails) -> Self {
        let card = method.card();
        Self {
            kind: method.method_type().as_str().to_owned(),
            brand: card.map(|c| c.brand.as_str().to_owned()),
            last4: method.last4().to_owned(),
            exp_month: card.map(|c| c.exp_month),
            exp_year: card.map(|c| c.exp_year),
            bank: method.debit().map(|d| d.bank.clone()),
        }
    }
}

impl MethodSnapshot {
    fn into_domain(self) -> StoreResult<PaymentMethodDetails> {
        let parts = PaymentMethodParts {
            kind: Some(self.kind),
            brand: self.brand,
            last4: self.last4,
            exp_month: self.exp_month.map(i64::from),
            exp_year: self.exp_year.map(i64::from),
            bank: self.bank,
        };
        parts.parse()
    }
}

/// What paid, in the columns a row keeps it in (of an intent, of a charge), not yet parsed.
pub struct PaymentMethodParts {
    /// `None` in rows written before debits: a card.
    pub kind: Option<String>,
    pub brand: Option<String>,
    pub last4: String,
    pub exp_month: Option<i64>,
    pub exp_year: Option<i64>,
    pub bank: Option<String>,
}

impl PaymentMethodParts {
    pub fn parse(self) -> StoreResult<PaymentMethodDetails> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("a payment method's {what}"));
        let kind = self.kind.as_deref().unwrap_or(MethodType::Card.as_str());
        match MethodType::parse(kind).ok_or_else(|| corrupt("type"))? {
            MethodType::Card => Ok(PaymentMethodDetails::Card(CardDetails {
                brand: parse_brand(self.brand.as_deref().ok_or_else(|| corrupt("brand"))?)?,
                last4: self.last4,
                exp_month: self.exp_month.and_then(|m| u32::try_from(m).ok()).ok_or_else(|| corrupt("exp_month"))?,
                exp_year: self.exp_year.and_then(|y| i32::try_from(y).ok()).ok_or_else(|| corrupt("exp_year"))?,
            })),
            method => Ok(PaymentMethodDetails::Debit(DebitDetails {
                method,
                bank: self.bank.ok_or_else(|| corrupt("bank"))?,
                last4: self.last4,
            })),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RefundSnapshot {
    id: String,
    payment_intent: String,
    amount: i64,
    reason: Option<String>,
    status: String,
    created_at: DateTime<Utc>,
}

impl Snapshot {
    pub fn to_json(&self) -> StoreResult<String> {
        serde_json::to_string(self).map_err(|err| StoreError::Corrupt(format!("encoding a snapshot: {err}")))
    }

    pub fn from_json(raw: &str) -> StoreResult<Self> {
        serde_json::from_str(raw).map_err(|err| StoreError::Corrupt(format!("an unreadable event snapshot: {err}")))
    }
}

impl From<&PaymentIntent> for IntentSnapshot {
    fn from(pi: &PaymentIntent) -> Self {
        Self {
            id: pi.id.to_string(),
            amount: pi.amount,
            currency: pi.currency.code().to_owned(),
            status: pi.status.as_str().to_owned(),
            capture_method: pi.capture_method.as_str().to_owned(),
            amount_capturable: pi.amount_capturable,
            amount_received: pi.amount_received,
            amount_refunded: pi.amount_refunded,
            success_url: pi.success_url.clone(),
            cancel_url: pi.cancel_url.clone(),
            description: pi.description.clone(),
            customer_email: pi.customer_email.clone(),
            metadata: pi.metadata.as_map().clone(),
            payment_method_types: pi.payment_method_types.as_slice().iter().map(|m| m.as_str().to_owned()).collect(),
            attempts: pi.attempts,
            last_payment_error: pi.last_payment_error.as_ref().map(DeclineSnapshot::from),
            payment_method: pi.payment_method.as_ref().map(MethodSnapshot::from),
            latest_charge: pi.latest_charge.as_ref().map(ToString::to_string),
            pending_authentication: pi.pending_authentication.as_ref().map(AuthenticationSnapshot::from),
            pending_settlement: pi.pending_settlement.as_ref().map(SettlementSnapshot::from),
            created_at: pi.created_at,
            expires_at: pi.expires_at,
        }
    }
}

impl IntentSnapshot {
    pub fn into_domain(self, merchant_id: Uuid) -> StoreResult<PaymentIntent> {
        let metadata = serde_json::to_value(&self.metadata).map_err(|err| StoreError::Corrupt(err.to_string()))?;
        Ok(PaymentIntent {
            id: parse_id(&self.id)?,
            merchant_id,
            amount: self.amount,
            currency: parse_currency(&self.currency)?,
            status: parse_status(&self.status)?,
            capture_method: parse_capture_method(&self.capture_method)?,
            amount_capturable: self.amount_capturable,
            amount_received: self.amount_received,
            amount_refunded: self.amount_refunded,
            success_url: self.success_url,
            cancel_url: self.cancel_url,
            description: self.description,
            customer_email: self.customer_email,
            metadata: Metadata::parse(Some(&metadata))?,
            payment_method_types: MethodTypes::from_names(self.payment_method_types.iter().map(String::as_str))
                .ok_or_else(|| StoreError::Corrupt(format!("payment_method_types {:?}", self.payment_method_types)))?,
            attempts: self.attempts,
            last_payment_error: self.last_payment_error.map(DeclineSnapshot::into_domain).transpose()?,
            payment_method: self.payment_method.map(MethodSnapshot::into_domain).transpose()?,
            latest_charge: self.latest_charge.as_deref().map(parse_charge_id).transpose()?,
            pending_authentication: self.pending_authentication.map(AuthenticationSnapshot::into_domain).transpose()?,
            pending_settlement: self.pending_settlement.map(SettlementSnapshot::into_domain).transpose()?,
            created_at: self.created_at,
            expires_at: self.expires_at,
        })
    }
}

impl From<&Decline> for DeclineSnapshot {
    fn from(decline: &Decline) -> Self {
        Self { decline_code: decline.code.as_str().to_owned() }
    }
}

impl DeclineSnapshot {
    pub fn into_domain(self) -> StoreResult<Decline> {
        DeclineCode::parse(&self.decline_code)
            .map(Decline::of)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown decline code {:?}", self.decline_code)))
    }
}

impl From<&Refund> for RefundSnapshot {
    fn from(refund: &Refund) -> Self {
        Self {
            id: refund.id.to_string(),
            payment_intent: refund.payment_intent.to_string(),
            amount: refund.amount,
            reason: refund.reason.map(|r| r.as_str().to_owned()),
            status: refund.status.as_str().to_owned(),
            created_at: refund.created_at,
        }
    }
}

impl RefundSnapshot {
    pub fn into_domain(self) -> StoreResult<Refund> {
        Ok(Refund {
            id: RefundId::parse(&self.id).map_err(|_| StoreError::Corrupt(format!("a refund id {:?}", self.id)))?,
            payment_intent: parse_id(&self.payment_intent)?,
            amount: self.amount,
            reason: self.reason.as_deref().map(parse_reason).transpose()?,
            status: parse_refund_status(&self.status)?,
            created_at: self.created_at,
        })
    }
}

pub fn parse_id(raw: &str) -> StoreResult<PaymentIntentId> {
    PaymentIntentId::parse(raw).map_err(|_| StoreError::Corrupt(format!("a payment intent id {raw:?}")))
}

fn cards_only() -> Vec<String> {
    vec!["card".to_owned()]
}

pub fn parse_charge_id(raw: &str) -> StoreResult<ChargeId> {
    ChargeId::parse(raw).map_err(|_| StoreError::Corrupt(format!("a charge id {raw:?}")))
}

pub fn parse_status(raw: &str) -> StoreResult<Status> {
    Status::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown payment intent status {raw:?}")))
}

pub fn parse_currency(raw: &str) -> StoreResult<Currency> {
    Currency::parse(raw).map_err(|_| StoreError::Corrupt(format!("unknown currency {raw:?}")))
}

pub fn parse_capture_method(raw: &str) -> StoreResult<CaptureMethod> {
    CaptureMethod::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown capture method {raw:?}")))
}

pub fn parse_brand(raw: &str) -> StoreResult<Brand> {
    Brand::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown card brand {raw:?}")))
}

pub fn parse_reason(raw: &str) -> StoreResult<RefundReason> {
    RefundReason::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown refund reason {raw:?}")))
}

pub fn parse_refund_status(raw: &str) -> StoreResult<RefundStatus> {
    RefundStatus::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown refund status {raw:?}")))
}
