//! Refunds (API.md "Payment intents"): money returned from a succeeded intent. How much may be
//! refunded is the payment intent's rule (`Transition::Refund`); this is the record it leaves.

use chrono::{DateTime, Utc};

use super::{PaymentIntentId, RefundId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundReason {
    Duplicate,
    Fraudulent,
    RequestedByCustomer,
}

impl RefundReason {
    pub const ALL: [RefundReason; 3] = [Self::Duplicate, Self::Fraudulent, Self::RequestedByCustomer];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Duplicate => "duplicate",
            Self::Fraudulent => "fraudulent",
            Self::RequestedByCustomer => "requested_by_customer",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundStatus {
    /// Sandbox refunds succeed at once.
    Succeeded,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        (raw == Self::Succeeded.as_str()).then_some(Self::Succeeded)
    }
}

/// A refund; sandbox refunds succeed at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub id: RefundId,
    pub payment_intent: PaymentIntentId,
    pub amount: i64,
    pub reason: Option<RefundReason>,
    pub status: RefundStatus,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip() {
        for reason in RefundReason::ALL {
            assert_eq!(RefundReason::parse(reason.as_str()), Some(reason));
        }
    }
}
