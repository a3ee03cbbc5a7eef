//! The payment intent's rules (API.md "Payment intents"): its statuses, which transition may
//! start from which status, what each transition changes, and why one is refused. Pure: the
//! store reads the intent, asks [`PaymentIntent::apply`] what the transition makes of it, and
//! writes that back with a conditional UPDATE, so the rules live here once.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::{
    Brand, Charge, ChargeId, ChargeStatus, ChargeWrite, Currency, DebitDetails, Decline, DomainError, EventKind,
    MethodType, MethodTypes, PaymentIntentId, PaymentMethodDetails, RefundReason,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    RequiresPaymentMethod,
    /// Waiting for the customer to authenticate (3-D Secure).
    RequiresAction,
    /// A debit submitted to the bank, waiting to settle.
    Processing,
    Authorized,
    Succeeded,
    Canceled,
    Expired,
    Failed,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Self::RequiresPaymentMethod,
        Self::RequiresAction,
        Self::Processing,
        Self::Authorized,
        Self::Succeeded,
        Self::Canceled,
        Self::Expired,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RequiresPaymentMethod => "requires_payment_method",
            Self::RequiresAction => "requires_action",
            Self::Processing => "processing",
            Self::Authorized => "authorized",
            Self::Succeeded => "succeeded",
            Self::Canceled => "canceled",
            Self::Expired => "expired",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Statuses with a deadline: past `expires_at` they are `expired`.
    pub fn can_expire(self) -> bool {
        TransitionKind::Expire.allowed_from().contains(&self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureMethod {
    /// An approved card is charged at once: `succeeded`.
    Automatic,
    /// An approved card is only authorized; the merchant captures within 7 days.
    Manual,
}

impl CaptureMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Automatic => "automatic",
            Self::Manual => "manual",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "automatic" => Some(Self::Automatic),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }
}

/// The fifth declined attempt fails the intent.
pub const MAX_ATTEMPTS: i64 = 5;

/// An authorization not captured within this expires (API.md), as card networks release holds.
pub const AUTHORIZATION_VALIDITY: TimeDelta = TimeDelta::days(7);

/// What is kept of the card an intent was paid with: never its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDetails {
    pub brand: Brand,
    pub last4: String,
    pub exp_month: u32,
    pub exp_year: i32,
}

/// A payment intent as stored, every field typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentIntent {
    pub id: PaymentIntentId,
    pub merchant_id: Uuid,
    pub amount: i64,
    pub currency: Currency,
    /// As written down; [`PaymentIntent::status_at`] is what it reads as.
    pub status: Status,
    pub capture_method: CaptureMethod,
    pub amount_capturable: i64,
    pub amount_received: i64,
    pub amount_refunded: i64,
    pub success_url: String,
    pub cancel_url: String,
    pub description: Option<String>,
    pub customer_email: Option<String>,
    pub metadata: Metadata,
    /// The payment methods the customer may pay with.
    pub payment_method_types: MethodTypes,
    pub attempts: i64,
    pub last_payment_error: Option<Decline>,
    pub payment_method: Option<PaymentMethodDetails>,
    /// The charge of the latest attempt (none before the first, or for intents paid before
    /// charges were recorded).
    pub latest_charge: Option<ChargeId>,
    /// While `requires_action`: the authentication the customer owes, and what the issuer
    /// answers once they complete it (the card itself is `payment_method`).
    pub pending_authentication: Option<PendingAuthentication>,
    /// While `processing`: when the debit settles, and how.
    pub pending_settlement: Option<PendingSettlement>,
    pub created_at: DateTime<Utc>,
    /// The deadline: payment for a waiting intent, capture for an authorized one.
    pub expires_at: DateTime<Utc>,
}

/// A 3-D Secure authentication the customer has yet to complete, and the issuer's answer once
/// they do: approval, or this decline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingAuthentication {
    pub then: Option<Decline>,
}

/// A debit submitted to the bank: when it settles, and the bank's answer then (`None` pays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingSettlement {
    pub settles_at: DateTime<Utc>,
    pub then: Option<Decline>,
}

/// A change of a payment intent that a request or the sweeper asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// An approved card.
    Confirm(CardDetails),
    /// A declined card: one more attempt.
    Decline {
        card: CardDetails,
        decline: Decline,
    },
    /// A card whose issuer asks for authentication first (3-D Secure): no attempt yet.
    RequireAction {
        card: CardDetails,
        then: Option<Decline>,
    },
    /// The customer completed the authentication (`true`) or failed it: the attempt ends as
    /// the issuer then answers, or as a failed authentication.
    Authenticate {
        completed: bool,
    },
    /// A debit from `account`, submitted now: it settles after `settle_after`, paid or failed
    /// with `then`.
    Debit {
        account: DebitDetails,
        then: Option<Decline>,
        settle_after: TimeDelta,
    },
    /// Write down that a due debit settled.
    Settle,
    /// Capture this much of an authorization (all of it when `None`).
    Capture(Option<i64>),
    Void,
    /// Refund this much (what remains when `None`).
    Refund {
        amount: Option<i64>,
        reason: Option<RefundReason>,
    },
    /// Write down that the deadline passed.
    Expire,
}

/// A transition without its arguments: what a refusal names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionKind {
    Confirm,
    Decline,
    RequireAction,
    Authenticate,
    Debit,
    Settle,
    Capture,
    Void,
    Refund,
    Expire,
}

impl TransitionKind {
    /// Its name in metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Decline => "decline",
            Self::RequireAction => "require_action",
            Self::Authenticate => "authenticate",
            Self::Debit => "debit",
            Self::Settle => "settle",
            Self::Capture => "capture",
            Self::Void => "void",
            Self::Refund => "refund",
            Self::Expire => "expire",
        }
    }

    /// The statuses (as of now, see [`PaymentIntent::status_at`]) this transition may start from.
    pub fn allowed_from(self) -> &'static [Status] {
        use Status::*;
        match self {
            Self::Confirm | Self::Decline | Self::RequireAction | Self::Debit => &[RequiresPaymentMethod],
            Self::Authenticate => &[RequiresAction],
            Self::Settle => &[Processing],
            Self::Capture => &[Authorized],
            Self::Void | Self::Expire => &[RequiresPaymentMethod, RequiresAction, Authorized],
            Self::Refund => &[Succeeded],
        }
    }
}

impl Transition {
    pub fn kind(&self) -> TransitionKind {
        match self {
            Self::Confirm(_) => TransitionKind::Confirm,
            Self::Decline { .. } => TransitionKind::Decline,
            Self::RequireAction { .. } => TransitionKind::RequireAction,
            Self::Authenticate { .. } => TransitionKind::Authenticate,
            Self::Debit { .. } => TransitionKind::Debit,
            Self::Settle => TransitionKind::Settle,
            Self::Capture(_) => TransitionKind::Capture,
            Self::Void => TransitionKind::Void,
            Self::Refund { .. } => TransitionKind::Refund,
            Self::Expire => TransitionKind::Expire,
        }
    }
}

/// Why a transition was refused, as the intent stood when it was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The intent's status does not allow the transition.
    Status { transition: TransitionKind, status: Status },
    /// The intent's deadline has passed: it is expired, written down or not.
    Expired { transition: TransitionKind },
    /// A capture of more than `amount_capturable`.
    ExceedsCapturable { capturable: i64 },
    /// A refund of more than what remains of `amount_received` (or of nothing at all).
    ExceedsRefundable { remaining: i64 },
    /// The sweeper came for an intent whose deadline (or settlement) has not come, or that
    /// another writer got to first.
    NotDue,
    /// The intent does not take this payment method (`payment_method_types`).
    MethodNotTaken { method: MethodType },
}

/// What a transition made of an intent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub after: PaymentIntent,
    pub event: EventKind,
    /// For a refund: how much.
    pub refunded: Option<i64>,
    /// What becomes of the intent's charges.
    pub charge: Option<ChargeWrite>,
}

impl PaymentIntent {
    /// The status as of `now`: past its deadline, a waiting or authorized intent is expired,
    /// whether or not the sweeper has written that down yet.
    pub fn status_at(&self, now: DateTime<Utc>) -> Status {
        if self.status.can_expire() && self.expires_at <= now { Status::Expired } else { self.status }
    }

    /// The intent as it reads at `now`: past its deadline, as the expiry will write it down
    /// (status `expired`, the hold released), before the sweeper gets to it.
    pub fn as_of(&self, now: DateTime<Utc>) -> PaymentIntent {
        match self.apply(&Transition::Expire, now) {
            Ok(expired) => expired.after,
            Err(_) => self.clone(),
        }
    }

    /// Declines left before the intent fails.
    pub fn attempts_remaining(&self) -> i64 {
        if self.status == Status::Failed { 0 } else { (MAX_ATTEMPTS - self.attempts).max(0) }
    }

    /// What `transition` makes of this intent at `now`, or why it may not happen.
    pub fn apply(&self, transition: &Transition, now: DateTime<Utc>) -> Result<Applied, Refusal> {
        let kind = transition.kind();
        let status = self.status_at(now);
        if kind == TransitionKind::Expire {
            // Only a due intent, not yet written down, is the sweeper's to expire.
            if !(self.status.can_expire() && status == Status::Expired) {
                return Err(Refusal::NotDue);
            }
        } else if kind == TransitionKind::Settle {
            let due = self.pending_settlement.is_some_and(|pending| pending.settles_at <= now);
            if !(status == Status::Processing && due) {
                return Err(Refusal::NotDue);
            }
        } else if status == Status::Expired {
            // Written down by the sweeper or not: the refusal is the same.
            return Err(Refusal::Expired { transition: kind });
        } else if !kind.allowed_from().contains(&status) {
            return Err(Refusal::Status { transition: kind, status });
        }
        let paying_with = match transition {
            Transition::Confirm(_) | Transition::Decline { .. } | Transition::RequireAction { .. } => {
                Some(MethodType::Card)
            }
            Transition::Debit { account, .. } => Some(account.method),
            _ => None,
        };
        // A debit cannot be held for a later capture (intents made before that rule may have
        // both).
        let not_taken = |m: &MethodType| {
            !self.payment_method_types.takes(*m)
                || (!m.captures_later() && self.capture_method == CaptureMethod::Manual)
        };
        if let Some(method) = paying_with.filter(not_taken) {
            return Err(Refusal::MethodNotTaken { method });
        }
        let mut after = self.clone();
        after.pending_authentication = None;
        after.pending_settlement = None;
        let mut refunded = None;
        let mut charge = None;
        let event = match transition {
            Transition::Confirm(card) => {
                self.approve(&mut after, &PaymentMethodDetails::Card(card.clone()), &mut charge, now)
            }
            Transition::Decline { card, decline } => {
                self.decline(&mut after, &PaymentMethodDetails::Card(card.clone()), *decline, &mut charge, now)
            }
            Transition::RequireAction { card, then } => {
                after.status = Status::RequiresAction;
                after.payment_method = Some(PaymentMethodDetails::Card(card.clone()));
                after.pending_authentication = Some(PendingAuthentication { then: *then });
                EventKind::PaymentIntentRequiresAction
            }
            Transition::Authenticate { completed } => {
                // `requires_action` always holds both (the store refuses a row without them).
                let (Some(card @ PaymentMethodDetails::Card(_)), Some(pending)) =
                    (self.payment_method.clone(), self.pending_authentication)
                else {
                    return Err(Refusal::Status { transition: kind, status });
                };
                match (completed, pending.then) {
                    (true, None) => self.approve(&mut after, &card, &mut charge, now),
                    (true, Some(decline)) => self.decline(&mut after, &card, decline, &mut charge, now),
                    (false, _) => {
                        let failed = Decline::of(super::DeclineCode::AuthenticationRequired);
                        self.decline(&mut after, &card, failed, &mut charge, now)
                    }
                }
            }
            Transition::Debit { account, then, settle_after } => {
                // An attempt from now: its charge is pending until the bank answers.
                let account = PaymentMethodDetails::Debit(account.clone());
                after.attempts += 1;
                after.last_payment_error = None;
                after.payment_method = Some(account.clone());
                after.status = Status::Processing;
                after.pending_settlement = Some(PendingSettlement { settles_at: now + *settle_after, then: *then });
                charge = Some(self.attempt(&account, ChargeStatus::Pending, None, false, now));
                EventKind::PaymentIntentProcessing
            }
            Transition::Settle => {
                // Due and `processing`, checked above: the pending settlement is there.
                let then = self.pending_settlement.and_then(|pending| pending.then);
                let settled = |status, outcome, captured: bool, amount_captured| {
                    self.latest_charge.clone().map(|id| ChargeWrite::Follow {
                        id,
                        status,
                        outcome,
                        captured,
                        amount_captured,
                        amount_refunded: 0,
                    })
                };
                match then {
                    None => {
                        after.status = Status::Succeeded;
                        after.amount_received = self.amount;
                        charge = settled(ChargeStatus::Succeeded, None, true, self.amount);
                        EventKind::PaymentIntentSucceeded
                    }
                    // Nobody is at the checkout days later to try again: the intent fails, and
                    // the merchant starts a new one to collect. It keeps the account that failed.
                    Some(decline) => {
                        after.status = Status::Failed;
                        after.last_payment_error = Some(decline);
                        charge = settled(ChargeStatus::Failed, Some(decline), false, 0);
                        EventKind::PaymentIntentPaymentFailed
                    }
                }
            }
            Transition::Capture(amount) => {
                let capturable = self.amount_capturable;
                let amount = amount.unwrap_or(capturable);
                if amount > capturable {
                    return Err(Refusal::ExceedsCapturable { capturable });
                }
                // The rest of the authorization is released.
                after.status = Status::Succeeded;
                after.amount_received = amount;
                after.amount_capturable = 0;
                EventKind::PaymentIntentSucceeded
            }
            Transition::Void => {
                after.status = Status::Canceled;
                after.amount_capturable = 0;
                EventKind::PaymentIntentCanceled
            }
            Transition::Refund { amount, .. } => {
                let remaining = self.amount_received - self.amount_refunded;
                let amount = amount.unwrap_or(remaining);
                if amount <= 0 || amount > remaining {
                    return Err(Refusal::ExceedsRefundable { remaining });
                }
                after.amount_refunded += amount;
                refunded = Some(amount);
                EventKind::RefundCreated
            }
            Transition::Expire => {
                after.status = Status::Expired;
                after.amount_capturable = 0;
                EventKind::PaymentIntentExpired
            }
        };
        match &charge {
            Some(ChargeWrite::Insert(new)) => after.latest_charge = Some(new.id.clone()),
            // Captures and refunds move the approved charge's money with the intent's.
            _ if matches!(kind, TransitionKind::Capture | TransitionKind::Refund) => {
                charge = after.latest_charge.clone().map(|id| ChargeWrite::Follow {
                    id,
                    status: ChargeStatus::Succeeded,
                    outcome: None,
                    captured: after.status == Status::Succeeded,
                    amount_captured: after.amount_received,
                    amount_refunded: after.amount_refunded,
                });
            }
            _ => {}
        }
        Ok(Applied { after, event, refunded, charge })
    }

    /// An approved attempt with `card`: paid, or authorized under manual capture.
    fn approve(
        &self,
        after: &mut PaymentIntent,
        card: &PaymentMethodDetails,
        charge: &mut Option<ChargeWrite>,
        now: DateTime<Utc>,
    ) -> EventKind {
        after.attempts += 1;
        after.last_payment_error = None;
        after.payment_method = Some(card.clone());
        let automatic = self.capture_method == CaptureMethod::Automatic;
        *charge = Some(self.attempt(card, ChargeStatus::Succeeded, None, automatic, now));
        if automatic {
            after.status = Status::Succeeded;
            after.amount_received = self.amount;
            after.amount_capturable = 0;
            EventKind::PaymentIntentSucceeded
        } else {
            after.status = Status::Authorized;
            after.amount_capturable = self.amount;
            after.expires_at = now + AUTHORIZATION_VALIDITY;
            EventKind::PaymentIntentAuthorized
        }
    }

    /// A declined attempt with `card`: the intent waits for another payment method, or fails
    /// on the fifth.
    fn decline(
        &self,
        after: &mut PaymentIntent,
        card: &PaymentMethodDetails,
        decline: Decline,
        charge: &mut Option<ChargeWrite>,
        now: DateTime<Utc>,
    ) -> EventKind {
        after.attempts += 1;
        after.last_payment_error = Some(decline);
        after.payment_method = None;
        *charge = Some(self.attempt(card, ChargeStatus::Failed, Some(decline), false, now));
        after.status = if after.attempts >= MAX_ATTEMPTS { Status::Failed } else { Status::RequiresPaymentMethod };
        EventKind::PaymentIntentPaymentFailed
    }

    /// The charge of a new attempt with `method`: declined with `outcome`, approved (and
    /// captured at once when `captured`), or pending.
    fn attempt(
        &self,
        method: &PaymentMethodDetails,
        status: ChargeStatus,
        outcome: Option<Decline>,
        captured: bool,
        now: DateTime<Utc>,
    ) -> ChargeWrite {
        ChargeWrite::Insert(Charge {
            id: ChargeId::generate(),
            payment_intent: self.id.clone(),
            amount: self.amount,
            currency: self.currency,
            status,
            outcome,
            payment_method: method.clone(),
            captured,
            amount_captured: if captured { self.amount } else { 0 },
            amount_refunded: 0,
            created_at: now,
        })
    }
}

/// How long a new intent waits for payment: 1 to 86,400 seconds, 3,600 by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiresIn(i64);

impl ExpiresIn {
    pub fn parse(raw: Option<i64>) -> Result<Self, DomainError> {
        match raw {
            None => Ok(Self(3600)),
            Some(s @ 1..=86_400) => Ok(Self(s)),
            Some(_) => Err(DomainError::InvalidExpiresIn),
        }
    }

    pub fn duration(self) -> TimeDelta {
        TimeDelta::seconds(self.0)
    }
}

/// Up to 20 string keys (≤ 40 characters) with string values (≤ 500 characters), as Stripe allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata(BTreeMap<String, String>);

impl Metadata {
    pub fn parse(raw: Option<&Value>) -> Result<Self, DomainError> {
        let Some(raw) = raw.filter(|v| !v.is_null()) else { return Ok(Self::default()) };
        let object = raw.as_object().ok_or(DomainError::InvalidMetadata("must be an object of strings"))?;
        if object.len() > 20 {
            return Err(DomainError::InvalidMetadata("has more than 20 keys"));
        }
        let mut map = BTreeMap::new();
        for (key, value) in object {
            if key.is_empty() || key.chars().count() > 40 {
                return Err(DomainError::InvalidMetadata("keys must have 1 to 40 characters"));
            }
            let value = value.as_str().ok_or(DomainError::InvalidMetadata("values must be strings"))?;
            if value.chars().count() > 500 {
                return Err(DomainError::InvalidMetadata("values must have at most 500 characters"));
            }
            map.insert(key.clone(), value.to_owned());
        }
        Ok(Self(map))
    }

    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

/// Where the browser goes after an approved payment: `success_url` with `{PAYMENT_INTENT_ID}`
/// and `{CHECKOUT_SESSION_ID}` replaced and `payment_intent=<id>` added to the query.
pub fn redirect_url(success_url: &str, id: &str) -> String {
    let url = success_url.replace("{PAYMENT_INTENT_ID}", id).replace("{CHECKOUT_SESSION_ID}", id);
    let (base, fragment) = match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url.as_str(), None),
    };
    let separator = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut out = format!("{base}{separator}payment_intent={id}");
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::domain::DeclineCode;

    #[test]
    fn redirect_urls_carry_the_intent() {
        let id = "pi_123";
        assert_eq!(redirect_url("https://shop.example/done", id), "https://shop.example/done?payment_intent=pi_123");
        assert_eq!(
            redirect_url("https://shop.example/done?x=1", id),
            "https://shop.example/done?x=1&payment_intent=pi_123"
        );
        assert_eq!(
            redirect_url("https://shop.example/o/{PAYMENT_INTENT_ID}?s={CHECKOUT_SESSION_ID}#top", id),
            "https://shop.example/o/pi_123?s=pi_123&payment_intent=pi_123#top"
        );
    }

    #[test]
    fn expires_in_defaults_to_an_hour_and_is_bounded() {
        assert_eq!(ExpiresIn::parse(None), Ok(ExpiresIn(3600)));
        assert_eq!(ExpiresIn::parse(Some(86_400)), Ok(ExpiresIn(86_400)));
        assert!(ExpiresIn::parse(Some(0)).is_err() && ExpiresIn::parse(Some(86_401)).is_err());
    }

    #[test]
    fn metadata_is_at_most_twenty_string_pairs() {
        assert_eq!(Metadata::parse(Some(&json!({"order": "42"}))).unwrap().as_map()["order"], "42");
        assert!(Metadata::parse(None).unwrap().as_map().is_empty());
        let many: serde_json::Map<String, Value> = (0..21).map(|i| (format!("k{i}"), json!("v"))).collect();
        for bad in [json!({"n": 1}), json!([1]), Value::Object(many), json!({"": "x"}), json!({"k": "x".repeat(501)})] {
            assert!(Metadata::parse(Some(&bad)).is_err(), "{bad}");
        }
    }

    fn intent(capture_method: CaptureMethod) -> PaymentIntent {
        let created_at = DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z").unwrap().to_utc();
        PaymentIntent {
            id: PaymentIntentId::generate(),
            merchant_id: Uuid::nil(),
            amount: 1000,
            currency: Currency::Usd,
            status: Status::RequiresPaymentMethod,
            capture_method,
            amount_capturable: 0,
            amount_received: 0,
            amount_refunded: 0,
            success_url: "https://shop.example/ok".into(),
            cancel_url: "https://shop.example/no".into(),
            description: None,
            customer_email: None,
            metadata: Metadata::default(),
            payment_method_types: MethodTypes::default(),
            attempts: 0,
            last_payment_error: None,
            payment_method: None,
            latest_charge: None,
            pending_authentication: None,
            pending_settlement: None,
            created_at,
            expires_at: created_at + TimeDelta::hours(1),
        }
    }

    fn inserted(applied: &Applied) -> &Charge {
        match &applied.charge {
            Some(ChargeWrite::Insert(charge)) => charge,
            other => panic!("no new charge: {other:?}"),
        }
    }

    fn card() -> CardDetails {
        CardDetails { brand: Brand::Visa, last4: "4242".into(), exp_month: 12, exp_year: 2030 }
    }

    fn minutes(intent: &PaymentIntent, n: i64) -> DateTime<Utc> {
        intent.created_at + TimeDelta::minutes(n)
    }

    #[test]
    fn an_approved_card_succeeds_at_once_under_automatic_capture() {
        let pi = intent(CaptureMethod::Automatic);
        let done = pi.apply(&Transition::Confirm(card()), minutes(&pi, 1)).unwrap();
        assert_eq!(done.event, EventKind::PaymentIntentSucceeded);
        assert_eq!((done.after.status, done.after.amount_received, done.after.attempts), (Status::Succeeded, 1000, 1));
        assert_eq!(done.after.expires_at, pi.expires_at);
    }

    #[test]
    fn an_approved_card_authorizes_for_seven_days_under_manual_capture() {
        let pi = intent(CaptureMethod::Manual);
        let now = minutes(&pi, 1);
        let done = pi.apply(&Transition::Confirm(card()), now).unwrap();
        assert_eq!(done.event, EventKind::PaymentIntentAuthorized);
        assert_eq!((done.after.status, done.after.amount_capturable), (Status::Authorized, 1000));
        assert_eq!(done.after.expires_at, now + AUTHORIZATION_VALIDITY);
    }

    #[test]
    fn every_attempt_is_a_charge_and_the_approved_one_follows_captures_and_refunds() {
        let pi = intent(CaptureMethod::Manual);
        let declined = pi
            .apply(
                &Transition::Decline { card: card(), decline: Decline::of(DeclineCode::GenericDecline) },
                minutes(&pi, 1),
            )
            .unwrap();
        let failed = inserted(&declined);
        assert_eq!(
            (failed.status, failed.outcome.map(|d| d.code)),
            (ChargeStatus::Failed, Some(DeclineCode::GenericDecline))
        );
        assert_eq!((failed.captured, failed.amount_captured, failed.payment_method.last4()), (false, 0, "4242"));
        assert_eq!(declined.after.latest_charge.as_ref(), Some(&failed.id));

        let authorized = declined.after.apply(&Transition::Confirm(card()), minutes(&pi, 2)).unwrap();
        let approved = inserted(&authorized).clone();
        assert_eq!((approved.status, approved.captured, approved.outcome), (ChargeStatus::Succeeded, false, None));
        assert_ne!(approved.id, failed.id);
        assert_eq!(authorized.after.latest_charge.as_ref(), Some(&approved.id));

        let captured = authorized.after.apply(&Transition::Capture(Some(600)), minutes(&pi, 3)).unwrap();
        let follow = |id: &ChargeId, captured, amount_captured, amount_refunded| {
            Some(ChargeWrite::Follow {
                id: id.clone(),
                status: ChargeStatus::Succeeded,
                outcome: None,
                captured,
                amount_captured,
                amount_refunded,
            })
        };
        assert_eq!(captured.charge, follow(&approved.id, true, 600, 0));
        let refunded = captured.after.apply(&Transition::Refund { amount: Some(250), reason: None }, minutes(&pi, 4));
        assert_eq!(refunded.unwrap().charge, follow(&approved.id, true, 600, 250));
        // A void or an expiry leaves the charge as it was.
        assert_eq!(authorized.after.apply(&Transition::Void, minutes(&pi, 5)).unwrap().charge, None);
    }

    #[test]
    fn an_automatic_capture_charges_captured() {
        let pi = intent(CaptureMethod::Automatic);
        let done = pi.apply(&Transition::Confirm(card()), minutes(&pi, 1)).unwrap();
        let charge = inserted(&done);
        assert_eq!((charge.captured, charge.amount_captured, charge.amount), (true, 1000, 1000));
    }

    #[test]
    fn the_fifth_decline_fails_the_intent() {
        let mut pi = intent(CaptureMethod::Automatic);
        let decline =
            Transition::Decline { card: card(), decline: Decline::of(crate::domain::DeclineCode::InsufficientFunds) };
        for n in 1..=5 {
            let done = pi.apply(&decline, minutes(&pi, n)).unwrap();
            assert_eq!(done.event, EventKind::PaymentIntentPaymentFailed);
            pi = done.after;
            assert_eq!(pi.attempts, n);
            assert_eq!(pi.status == Status::Failed, n == 5, "after {n} declines");
        }
        assert_eq!(pi.attempts_remaining(), 0);
        assert_eq!(
            pi.apply(&Transition::Confirm(card()), minutes(&pi, 6)),
            Err(Refusal::Status { transition: TransitionKind::Confirm, status: Status::Failed })
        );
    }

    #[test]
    fn partial_capture_releases_the_rest_and_never_exceeds_the_authorization() {
        let pi = intent(CaptureMethod::Manual);
        let authorized = pi.apply(&Transition::Confirm(card()), minutes(&pi, 1)).unwrap().after;
        let now = minutes(&pi, 2);
        assert_eq!(
            authorized.apply(&Transition::Capture(Some(1001)), now),
            Err(Refusal::ExceedsCapturable { capturable: 1000 })
        );
        let captured = authorized.apply(&Transition::Capture(Some(600)), now).unwrap().after;
        assert_eq!(
            (captured.status, captured.amount_received, captured.amount_capturable),
            (Status::Succeeded, 600, 0)
        );
        assert_eq!(authorized.apply(&Transition::Capture(None), now).unwrap().after.amount_received, 1000);
        assert_eq!(
            captured.apply(&Transition::Capture(None), now),
            Err(Refusal::Status { transition: TransitionKind::Capture, status: Status::Succeeded })
        );
    }

    #[test]
    fn refunds_add_up_to_at_most_what_was_received() {
        let pi = intent(CaptureMethod::Automatic);
        let paid = pi.apply(&Transition::Confirm(card()), minutes(&pi, 1)).unwrap().after;
        let now = minutes(&pi, 2);
        let once = paid.apply(&Transition::Refund { amount: Some(400), reason: None }, now).unwrap();
        assert_eq!((once.event, once.refunded, once.after.amount_refunded), (EventKind::RefundCreated, Some(400), 400));
        let rest = once.after.apply(&Transition::Refund { amount: None, reason: None }, now).unwrap();
        assert_eq!(rest.refunded, Some(600));
        assert_eq!(
            rest.after.apply(&Transition::Refund { amount: None, reason: None }, now),
            Err(Refusal::ExceedsRefundable { remaining: 0 })
        );
        assert_eq!(
            once.after.apply(&Transition::Refund { amount: Some(601), reason: None }, now),
            Err(Refusal::ExceedsRefundable { remaining: 600 })
        );
        assert_eq!(rest.after.status, Status::Succeeded, "refunds do not change the status");
        assert_eq!(
            pi.apply(&Transition::Refund { amount: None, reason: None }, now),
            Err(Refusal::Status { transition: TransitionKind::Refund, status: Status::RequiresPaymentMethod })
        );
    }

    #[test]
    fn void_cancels_a_waiting_or_authorized_intent_only() {
        let pi = intent(CaptureMethod::Manual);
        let now = minutes(&pi, 1);
        assert_eq!(pi.apply(&Transition::Void, now).unwrap().after.status, Status::Canceled);
        let authorized = pi.apply(&Transition::Confirm(card()), now).unwrap().after;
        let voided = authorized.apply(&Transition::Void, now).unwrap();
        assert_eq!((voided.after.status, voided.after.amount_capturable), (Status::Canceled, 0));
        assert_eq!(voided.event, EventKind::PaymentIntentCanceled);
        assert_eq!(
            voided.after.apply(&Transition::Void, now),
            Err(Refusal::Status { transition: TransitionKind::Void, status: Status::Canceled })
        );
    }

    #[test]
    fn past_its_deadline_an_intent_reads_as_expired_and_only_the_sweeper_writes_it() {
        let pi = intent(CaptureMethod::Automatic);
        let late = pi.expires_at;
        assert_eq!(pi.status_at(late - TimeDelta::microseconds(1)), Status::RequiresPaymentMethod);
        assert_eq!(pi.status_at(late), Status::Expired);
        assert_eq!(
            pi.apply(&Transition::Confirm(card()), late),
            Err(Refusal::Expired { transition: TransitionKind::Confirm })
        );
        assert_eq!(pi.apply(&Transition::Expire, late - TimeDelta::seconds(1)), Err(Refusal::NotDue));
        let read = pi.as_of(late);
        assert_eq!((read.status, read.amount_capturable), (Status::Expired, 0));
        assert_eq!(pi.as_of(late - TimeDelta::seconds(1)), pi);
        let expired = pi.apply(&Transition::Expire, late).unwrap();
        assert_eq!((expired.after.status, expired.event), (Status::Expired, EventKind::PaymentIntentExpired));
        assert_eq!(expired.after.apply(&Transition::Expire, late), Err(Refusal::NotDue), "expired once");
        assert_eq!(
            expired.after.apply(&Transition::Confirm(card()), late),
            Err(Refusal::Expired { transition: TransitionKind::Confirm }),
            "the same refusal once the sweeper has written it down"
        );
    }

    #[test]
    fn an_authorization_not_captured_in_seven_days_expires() {
        let pi = intent(CaptureMethod::Manual);
        let authorized = pi.apply(&Transition::Confirm(card()), minutes(&pi, 1)).unwrap().after;
        let deadline = authorized.expires_at;
        assert!(authorized.apply(&Transition::Capture(None), deadline - TimeDelta::seconds(1)).is_ok());
        assert_eq!(
            authorized.apply(&Transition::Capture(None), deadline),
            Err(Refusal::Expired { transition: TransitionKind::Capture })
        );
        assert!(authorized.apply(&Transition::Expire, deadline).is_ok());
    }

    fn sepa(then: Option<Decline>) -> Transition {
        let account = DebitDetails { method: MethodType::SepaDebit, bank: "DE".into(), last4: "3000".into() };
        Transition::Debit { account, then, settle_after: TimeDelta::seconds(3) }
    }

    fn takes_sepa(mut pi: PaymentIntent) -> PaymentIntent {
        pi.currency = Currency::Eur;
        pi.payment_method_types = MethodTypes::parse(Some(&["sepa_debit".to_owned()]), Currency::Eur).unwrap();
        pi
    }

    #[test]
    fn a_debit_is_processing_until_it_settles_and_then_succeeds() {
        let pi = takes_sepa(intent(CaptureMethod::Automatic));
        let submitted = minutes(&pi, 1);
        let processing = pi.apply(&sepa(None), submitted).unwrap();
        assert_eq!(processing.event, EventKind::PaymentIntentProcessing);
        let waiting = processing.after.clone();
        assert_eq!((waiting.status, waiting.attempts, waiting.amount_received), (Status::Processing, 1, 0));
        assert_eq!(waiting.pending_settlement.map(|p| p.settles_at), Some(submitted + TimeDelta::seconds(3)));
        let charge = inserted(&processing);
        assert_eq!(
            (charge.status, charge.captured, charge.payment_method.last4()),
            (ChargeStatus::Pending, false, "3000")
        );

        let due = submitted + TimeDelta::seconds(3);
        assert_eq!(waiting.apply(&Transition::Settle, due - TimeDelta::milliseconds(1)), Err(Refusal::NotDue));
        // Processing has no deadline: neither expiry nor the customer's cancel touches it.
        assert_eq!(waiting.apply(&Transition::Expire, pi.expires_at), Err(Refusal::NotDue));
        assert_eq!(
            waiting.apply(&Transition::Void, due),
            Err(Refusal::Status { transition: TransitionKind::Void, status: Status::Processing })
        );
        assert!(matches!(
            waiting.apply(&sepa(None), due),
            Err(Refusal::Status { transition: TransitionKind::Debit, status: Status::Processing })
        ));

        let settled = waiting.apply(&Transition::Settle, due).unwrap();
        assert_eq!(settled.event, EventKind::PaymentIntentSucceeded);
        assert_eq!((settled.after.status, settled.after.amount_received), (Status::Succeeded, 1000));
        assert_eq!(settled.after.pending_settlement, None);
        assert_eq!(
            settled.charge,
            Some(ChargeWrite::Follow {
                id: charge.id.clone(),
                status: ChargeStatus::Succeeded,
                outcome: None,
                captured: true,
                amount_captured: 1000,
                amount_refunded: 0,
            })
        );
        assert_eq!(settled.after.apply(&Transition::Settle, due), Err(Refusal::NotDue), "settled once");
        assert!(settled.after.apply(&Transition::Refund { amount: Some(100), reason: None }, due).is_ok());
    }

    #[test]
    fn a_refused_debit_fails_the_intent_keeping_the_account() {
        let pi = takes_sepa(intent(CaptureMethod::Automatic));
        let insufficient = Decline::of(DeclineCode::InsufficientFunds);
        let waiting = pi.apply(&sepa(Some(insufficient)), minutes(&pi, 1)).unwrap().after;
        let failed = waiting.apply(&Transition::Settle, minutes(&pi, 2)).unwrap();
        assert_eq!(failed.event, EventKind::PaymentIntentPaymentFailed);
        assert_eq!((failed.after.status, failed.after.last_payment_error), (Status::Failed, Some(insufficient)));
        assert_eq!(
            failed.after.payment_method.as_ref().map(PaymentMethodDetails::method_type),
            Some(MethodType::SepaDebit)
        );
        assert!(matches!(
            failed.charge,
            Some(ChargeWrite::Follow { status: ChargeStatus::Failed, outcome: Some(_), captured: false, .. })
        ));
        assert_eq!(insufficient.error_code(MethodType::SepaDebit), "debit_failed");
    }

    #[test]
    fn a_debit_is_never_held_for_a_manual_capture() {
        // Intents made before the create-time rule may take a debit under manual capture.
        let pi = takes_sepa(intent(CaptureMethod::Manual));
        assert_eq!(
            pi.apply(&sepa(None), minutes(&pi, 1)),
            Err(Refusal::MethodNotTaken { method: MethodType::SepaDebit })
        );
    }

    #[test]
    fn an_intent_takes_only_its_methods() {
        let cards = intent(CaptureMethod::Automatic);
        assert_eq!(
            cards.apply(&sepa(None), minutes(&cards, 1)),
            Err(Refusal::MethodNotTaken { method: MethodType::SepaDebit })
        );
        let debits = takes_sepa(intent(CaptureMethod::Automatic));
        assert_eq!(
            debits.apply(&Transition::Confirm(card()), minutes(&debits, 1)),
            Err(Refusal::MethodNotTaken { method: MethodType::Card })
        );
    }

    #[test]
    fn statuses_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert!(Status::RequiresPaymentMethod.can_expire() && !Status::Succeeded.can_expire());
    }
}
