//! Domain types: values that validate on parse, and the rules of the API.
//!
//! Invariant: nothing here knows about HTTP, axum or sqlx. Once a value is parsed into one of
//! these types nothing checks it again; the store only accepts parsed types.

mod amount;
mod bank;
mod card;
mod charge;
pub mod clock;
mod currency;
mod email;
mod event;
mod ids;
mod name;
mod password;
pub mod payment_intent;
mod payment_method;
pub mod redact;
mod refund;
mod role;
mod secret;
pub mod simulate;
mod url;
pub mod webhook;

pub use amount::Amount;
pub use bank::{BecsAccount, DebitOutcome, Iban};
pub use card::{Brand, CardNumber, CardOutcome, Cvc, Decline, DeclineCode, Expiry};
pub use charge::{Charge, ChargeStatus, ChargeWrite};
pub use clock::{Clock, VirtualClock};
pub use currency::Currency;
pub use email::Email;
pub use event::EventKind;
pub use ids::{
    ApiKeyId, AttemptId, ChargeId, DeliveryId, EventId, PaymentIntentId, RefundId, RequestId, random_base62,
};
pub use name::Name;
pub use password::Password;
pub use payment_intent::{
    Applied, CaptureMethod, CardDetails, ExpiresIn, Metadata, PaymentIntent, PendingAuthentication, PendingSettlement,
    Refusal, Status, Transition, TransitionKind,
};
pub use payment_method::{DebitDetails, MethodType, MethodTypes, PaymentMethodDetails};
pub use refund::{Refund, RefundReason, RefundStatus};
pub use role::Role;
pub use secret::{ApiKeySecret, ClientSecretKey, WebhookSecret};
pub use url::HttpUrl;

/// Why a value from the outside world was refused. Mapped to HTTP once, in `crate::error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid email address")]
    InvalidEmail,
    #[error("password too weak")]
    WeakPassword,
    #[error("invalid {field}: {reason}")]
    InvalidName { field: &'static str, reason: &'static str },
    #[error("invalid URL for {field}")]
    InvalidUrl { field: &'static str },
    #[error("invalid role")]
    InvalidRole,
    #[error("the {required:?} role is required")]
    InsufficientRole { required: Role },
    #[error("malformed {kind} id")]
    InvalidId { kind: &'static str },
    #[error("invalid amount in {field}")]
    InvalidAmount { field: &'static str },
    #[error("invalid currency")]
    InvalidCurrency,
    #[error("invalid metadata: {0}")]
    InvalidMetadata(&'static str),
    #[error("invalid expires_in")]
    InvalidExpiresIn,
    #[error("invalid card number")]
    InvalidCardNumber,
    #[error("invalid expiry")]
    InvalidExpiry,
    #[error("invalid cvc")]
    InvalidCvc,
    #[error("invalid IBAN")]
    InvalidIban,
    /// `field` is `bsb_number` or `account_number`.
    #[error("invalid bank account: {field}")]
    InvalidBankAccount { field: &'static str },
    #[error("invalid payment_method_types: {0}")]
    InvalidPaymentMethodTypes(&'static str),
    #[error("{method:?} does not work with this currency")]
    MethodUnsupportedCurrency { method: MethodType },
    #[error("{method:?} cannot be captured manually")]
    ManualCaptureUnsupported { method: MethodType },
    #[error("invalid Kassa-Simulate header")]
    InvalidSimulation,
    #[error("a clock only moves forward")]
    ClockBackwards,
}
