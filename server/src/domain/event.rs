//! Event types (API.md "Events and webhooks"): what happened to a merchant's object. Each type
//! is spelled here and nowhere else; the store keeps it and the wire shows it by `as_str`.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    PaymentIntentCreated,
    PaymentIntentRequiresAction,
    PaymentIntentProcessing,
    PaymentIntentAuthorized,
    PaymentIntentSucceeded,
    PaymentIntentPaymentFailed,
    PaymentIntentCanceled,
    PaymentIntentExpired,
    RefundCreated,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        Self::PaymentIntentCreated,
        Self::PaymentIntentRequiresAction,
        Self::PaymentIntentProcessing,
        Self::PaymentIntentAuthorized,
        Self::PaymentIntentSucceeded,
        Self::PaymentIntentPaymentFailed,
        Self::PaymentIntentCanceled,
        Self::PaymentIntentExpired,
        Self::RefundCreated,
    ];

    /// A comma-separated list of event types (`?types=`), as the contract states it.
    pub fn list_pattern() -> String {
        let one = Self::ALL.iter().map(|kind| kind.as_str().replace('.', r"\.")).collect::<Vec<_>>().join("|");
        format!(r"^\s*({one})\s*(,\s*({one})\s*)*$")
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PaymentIntentCreated => "payment_intent.created",
            Self::PaymentIntentRequiresAction => "payment_intent.requires_action",
            Self::PaymentIntentProcessing => "payment_intent.processing",
            Self::PaymentIntentAuthorized => "payment_intent.authorized",
            Self::PaymentIntentSucceeded => "payment_intent.succeeded",
            Self::PaymentIntentPaymentFailed => "payment_intent.payment_failed",
            Self::PaymentIntentCanceled => "payment_intent.canceled",
            Self::PaymentIntentExpired => "payment_intent.expired",
            Self::RefundCreated => "refund.created",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("payment_intent.paid"), None);
    }
}
