//! Charges (API.md "Charges, authentication and asynchronous methods"): the record of one
//! attempt to pay an intent, approved or declined, as Stripe keeps one per attempt. A charge
//! is made by a transition of its intent (`PaymentIntent::apply`) and, once approved, follows
//! the intent's captures and refunds in the same transaction.

use chrono::{DateTime, Utc};

use super::{ChargeId, Currency, Decline, PaymentIntentId, PaymentMethodDetails};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeStatus {
    /// Approved: captured, or authorized and waiting for a capture.
    Succeeded,
    /// Submitted and not settled yet (an asynchronous debit).
    Pending,
    /// Declined.
    Failed,
}

impl ChargeStatus {
    pub const ALL: [ChargeStatus; 3] = [Self::Succeeded, Self::Pending, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Pending => "pending",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// One attempt to pay an intent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub id: ChargeId,
    pub payment_intent: PaymentIntentId,
    pub amount: i64,
    pub currency: Currency,
    pub status: ChargeStatus,
    /// Why it was declined; `None` when it was not.
    pub outcome: Option<Decline>,
    /// What paid: never a full number.
    pub payment_method: PaymentMethodDetails,
    pub captured: bool,
    pub amount_captured: i64,
    pub amount_refunded: i64,
    pub created_at: DateTime<Utc>,
}

/// What a transition does to the intent's charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeWrite {
    /// A new attempt: this charge is recorded, and becomes the intent's `latest_charge`.
    Insert(Charge),
    /// The latest charge follows the intent: its money (a capture, a refund), or its outcome
    /// (a debit that settled).
    Follow {
        id: ChargeId,
        status: ChargeStatus,
        outcome: Option<Decline>,
        captured: bool,
        amount_captured: i64,
        amount_refunded: i64,
    },
}
