//! Domain types: values that validate on parse, and the rules of the API.
//!
//! Invariant: nothing here knows about HTTP, axum or sqlx. Once a value is parsed into one of
//! these types nothing checks it again; the store only accepts parsed types.

mod email;
mod ids;
mod name;
mod password;
mod role;
mod secret;
mod url;

pub use email::Email;
pub use ids::{ApiKeyId, EventId, RequestId, random_base62};
pub use name::Name;
pub use password::Password;
pub use role::Role;
pub use secret::{ApiKeySecret, WebhookSecret};
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
}
