//! `ApiError`: every way a request can fail, and the ONE place each becomes the documented JSON
//! error shape (API.md "Errors"). Each documented `code` string appears once, below.
//!
//! A 500 never leaks internals: `Internal` carries the cause for the log and answers with a fixed
//! message. The store's and the domain's errors become one of these here and nowhere else, by
//! exhaustive matches: a new variant does not compile until it has its answer. The request id
//! is filled in by `crate::respond`, the middleware that also gives the documented shape to
//! error responses not built here (a panic, a timeout, a framework default).

use crate::domain::simulate::SimulatedStatus;
use crate::domain::{Decline, DomainError, Refusal, Role, TransitionKind};
pub use crate::http::error_body::{ErrorBody, ErrorDetail, ErrorType};
use crate::store::{Resource, StoreError, Unique};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    // 400 — the request itself.
    #[error("malformed JSON: {0}")]
    InvalidJson(String),
    #[error("wrong content type")]
    UnsupportedContentType,
    #[error("request body too large")]
    BodyTooLarge,
    #[error("missing parameter {0}")]
    ParameterMissing(String),
    #[error("unknown parameter {0}")]
    UnknownParameter(String),
    #[error("invalid parameter {param}: {message}")]
    ParameterInvalid { param: String, message: String },
    #[error("unreadable request")]
    Unreadable,
    #[error("invalid starting_after")]
    InvalidStartingAfter,
    /// The field is `email`, or the field that holds one (`customer_email`).
    #[error("invalid email in {0}")]
    InvalidEmail(String),
    #[error("weak password")]
    WeakPassword,
    #[error("invalid URL in {0}")]
    InvalidUrl(&'static str),
    #[error("invalid amount in {0}")]
    InvalidAmount(&'static str, &'static str),
    #[error("invalid currency")]
    InvalidCurrency,
    /// A payment method named for an intent in a currency it does not work with.
    #[error("payment method {0:?} does not work with the currency")]
    MethodUnsupportedCurrency(crate::domain::MethodType),
    #[error("invalid card number")]
    InvalidCardNumber,
    #[error("invalid expiry")]
    InvalidExpiry,
    #[error("invalid cvc")]
    InvalidCvc,
    #[error("invalid IBAN")]
    InvalidIban,
    /// Of the field named, `bsb_number` or `account_number` (of `au_becs_debit`).
    #[error("invalid bank account")]
    InvalidBankAccount(&'static str),
    #[error("idempotency key reused")]
    IdempotencyKeyReused,
    #[error("email taken")]
    EmailTaken,
    #[error("no user with that email")]
    UnknownUser,
    #[error("already a member")]
    AlreadyMember,
    // 401
    #[error("no credentials")]
    MissingCredentials,
    #[error("invalid user token")]
    InvalidToken,
    #[error("expired user token")]
    TokenExpired,
    #[error("invalid API key")]
    InvalidApiKey,
    #[error("invalid email or password")]
    InvalidCredentials,
    // 402
    #[error("card declined: {}", .decline.code.as_str())]
    CardDeclined { decline: Decline, attempts_remaining: i64 },
    // 403
    #[error("invalid client secret")]
    InvalidClientSecret,
    #[error("role {required:?} required")]
    InsufficientRole { required: Role },
    // 404 / 405
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("no such route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    // 409
    #[error("idempotency key in use")]
    IdempotencyKeyInUse,
    #[error("the clock is advancing")]
    ClockAdvancing,
    #[error("the clock only moves forward")]
    ClockBackwards,
    // 422
    #[error("last owner")]
    LastOwner,
    #[error("payment intent in state {0}")]
    InvalidState(&'static str),
    #[error("payment intent in state {0}")]
    UnexpectedState(&'static str),
    #[error("payment intent expired")]
    PaymentIntentExpired,
    #[error("refund exceeds captured")]
    RefundExceedsCaptured,
    #[error("no webhook endpoint")]
    NoWebhookEndpoint,
    // 503, for readiness probes only.
    #[error("unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// 429: past a rate limit of `limit` requests a minute; the window ends in `retry_after`
    /// seconds.
    #[error("rate limited")]
    RateLimited { limit: u32, retry_after: u64 },
    /// 500, 429 or 503 because the request's `Kassa-Simulate` asked for it.
    #[error("simulated {}", .0.code())]
    Simulated(SimulatedStatus),
    // 500
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(Resource::UserWithEmail) => Self::UnknownUser,
            StoreError::NotFound(resource) => Self::NotFound(match resource {
                Resource::User | Resource::UserWithEmail => "user",
                Resource::Merchant => "merchant",
                Resource::Member => "member",
                Resource::ApiKey => "API key",
                Resource::PaymentIntent => "payment intent",
                Resource::Event => "event",
                Resource::Charge => "charge",
            }),
            StoreError::UnknownCursor => Self::InvalidStartingAfter,
            StoreError::Duplicate(Unique::Email) => Self::EmailTaken,
            StoreError::Duplicate(Unique::Member) => Self::AlreadyMember,
            StoreError::Invalid(err) => err.into(),
            StoreError::Refused(refusal) => refusal.into(),
            StoreError::LastOwner => Self::LastOwner,
            // This request outlived its claim on the key and a retry took it over; its change
            // was rolled back, and the retry's answer is the key's.
            StoreError::KeyTakenOver => Self::IdempotencyKeyInUse,
            StoreError::ClockAdvancing => Self::ClockAdvancing,
            err @ (StoreError::CommitFailed
            | StoreError::LeaseLost
            | StoreError::Locked(_)
            | StoreError::Corrupt(_)
            | StoreError::Io(_)
            | StoreError::Db(_)
            | StoreError::Migrate(_)) => Self::Internal(err.into()),
        }
    }
}

/// API.md: paying an intent that cannot be paid is `payment_intent_unexpected_state` or
/// `payment_intent_expired` (the checkout's words); the merchant's calls on an intent in the
/// wrong state are `invalid_state`.
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        use TransitionKind::*;
        match refusal {
            Refusal::Status { transition: Confirm | Decline | RequireAction | Authenticate | Debit, status } => {
                Self::UnexpectedState(status.as_str())
            }
            Refusal::Status { transition: Capture | Void | Refund | Expire | Settle, status } => {
                Self::InvalidState(status.as_str())
            }
            Refusal::Expired { transition: Confirm | Decline | RequireAction | Authenticate | Debit } => {
                Self::PaymentIntentExpired
            }
            Refusal::Expired { transition: Capture | Void | Refund | Expire | Settle } => {
                Self::InvalidState(crate::domain::Status::Expired.as_str())
            }
            Refusal::ExceedsCapturable { .. } => {
                Self::InvalidAmount("amount", "must not exceed the intent's amount_capturable.")
            }
            Refusal::ExceedsRefundable { .. } => Self::RefundExceedsCaptured,
            Refusal::NotDue => Self::Internal(anyhow::anyhow!("the sweeper's refusal reached a request")),
            Refusal::MethodNotTaken { method } => Self::ParameterInvalid {
                param: method.as_str().into(),
                message: format!("this payment intent does not take {}: see its payment_method_types", method.as_str()),
            },
        }
    }
}

struct Parts {
    status: StatusCode,
    kind: ErrorType,
    code: &'static str,
    message: String,
    param: Option<String>,
}

impl ApiError {
    fn parts(&self) -> Parts {
        use ErrorType::*;
        let (status, kind, code, message, param): (_, _, _, String, Option<String>) = match self {
            Self::InvalidJson(detail) => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_json",
                format!("The request body is not valid JSON: {detail}."),
                None,
            ),
            Self::UnsupportedContentType => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_content_type",
                "Send the request body as JSON with `Content-Type: application/json`.".into(),
                None,
            ),
            Self::BodyTooLarge => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "request_too_large",
                "The request body is too large.".into(),
                None,
            ),
            Self::ParameterMissing(p) => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "parameter_missing",
                format!("Missing required parameter: {p}."),
                Some(p.clone()),
            ),
            Self::UnknownParameter(p) => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "unknown_parameter",
                format!("Received unknown parameter: {p}."),
                Some(p.clone()),
            ),
            Self::ParameterInvalid { param, message } => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "parameter_invalid",
                format!("Invalid {param}: {message}."),
                Some(param.clone()),
            ),
            Self::Unreadable => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_request",
                "The request could not be read.".into(),
                None,
            ),
            Self::InvalidStartingAfter => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_starting_after",
                "`starting_after` names no object in this list.".into(),
                Some("starting_after".into()),
            ),
            Self::InvalidEmail(field) => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_email",
                "Enter a valid email address, like ada@example.com.".into(),
                Some(field.clone()),
            ),
            Self::WeakPassword => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "weak_password",
                "Passwords need at least 10 characters, with at least one letter and one digit.".into(),
                Some("password".into()),
            ),
            Self::InvalidUrl(field) => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_url",
                format!("`{field}` must be an absolute http:// or https:// URL."),
                Some((*field).into()),
            ),
            Self::InvalidAmount(field, why) => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_amount",
                format!("`{field}` {why}"),
                Some((*field).into()),
            ),
            Self::InvalidCurrency => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_currency",
                "`currency` must be one of usd, eur, gbp, aud, cad, chf, jpy, sek, nok, dkk.".into(),
                Some("currency".into()),
            ),
            Self::MethodUnsupportedCurrency(method) => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "payment_method_unsupported_currency",
                format!(
                    "`{}` works with {} only.",
                    method.as_str(),
                    method.currencies().unwrap_or_default().iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")
                ),
                Some("payment_method_types".into()),
            ),
            Self::InvalidCardNumber => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_card_number",
                "The card number is not a valid card number.".into(),
                Some("card.number".into()),
            ),
            Self::InvalidExpiry => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_expiry",
                "The card's expiry date is invalid or in the past.".into(),
                Some("card.exp_month".into()),
            ),
            Self::InvalidIban => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_iban",
                "The IBAN is not valid: check the country code, the check digits and the account number.".into(),
                Some("sepa_debit.iban".into()),
            ),
            Self::InvalidBankAccount(field) => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_bank_account",
                if *field == "bsb_number" {
                    "The BSB must have 6 digits, like 000-000.".into()
                } else {
                    "The account number must have 5 to 9 digits.".into()
                },
                Some(format!("au_becs_debit.{field}")),
            ),
            Self::InvalidCvc => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_cvc",
                "The card's security code must have 3 or 4 digits.".into(),
                Some("card.cvc".into()),
            ),
            Self::IdempotencyKeyReused => (
                StatusCode::BAD_REQUEST,
                IdempotencyError,
                "idempotency_key_reused",
                "This Idempotency-Key was used with a different request; use a new key for a new request.".into(),
                None,
            ),
            Self::CardDeclined { decline, .. } => (
                StatusCode::PAYMENT_REQUIRED,
                CardError,
                decline.code.error_code(),
                decline.code.message().into(),
                None,
            ),
            Self::InvalidClientSecret => (
                StatusCode::FORBIDDEN,
                PermissionError,
                "invalid_client_secret",
                "The client secret does not belong to this payment intent.".into(),
                Some("client_secret".into()),
            ),
            Self::ClockAdvancing => (
                StatusCode::CONFLICT,
                InvalidRequestError,
                "clock_advancing",
                "The merchant's test clock is advancing; retry once the advance has returned.".into(),
                None,
            ),
            Self::ClockBackwards => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "clock_backwards",
                "A test clock only moves forward: the time must not be earlier than the clock's now.".into(),
                None,
            ),
            Self::IdempotencyKeyInUse => (
                StatusCode::CONFLICT,
                IdempotencyError,
                "idempotency_key_in_use",
                "A request with this Idempotency-Key is still being processed; retry later.".into(),
                None,
            ),
            Self::InvalidState(status) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                StateError,
                "invalid_state",
                format!("This payment intent's status is {status}, which does not allow this."),
                None,
            ),
            Self::UnexpectedState(status) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                StateError,
                "payment_intent_unexpected_state",
                format!("This payment intent's status is {status}: it cannot be paid again."),
                None,
            ),
            Self::PaymentIntentExpired => (
                StatusCode::UNPROCESSABLE_ENTITY,
                StateError,
                "payment_intent_expired",
                "This payment intent has expired; the merchant must create a new one.".into(),
                None,
            ),
            Self::RefundExceedsCaptured => (
                StatusCode::UNPROCESSABLE_ENTITY,
                StateError,
                "refund_exceeds_captured",
                "Refunds may not exceed the amount received.".into(),
                Some("amount".into()),
            ),
            Self::NoWebhookEndpoint => (
                StatusCode::UNPROCESSABLE_ENTITY,
                StateError,
                "no_webhook_endpoint",
                "The merchant has no webhook_url to deliver to; set one with PATCH /v1/merchants/{merchant_id}.".into(),
                None,
            ),
            Self::EmailTaken => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "email_taken",
                "A user with this email address already exists.".into(),
                Some("email".into()),
            ),
            Self::UnknownUser => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "user_not_found",
                "No registered user has this email address; they must register first.".into(),
                Some("email".into()),
            ),
            Self::AlreadyMember => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "already_member",
                "This user is already a member of the merchant.".into(),
                Some("email".into()),
            ),
            Self::MissingCredentials => (
                StatusCode::UNAUTHORIZED,
                AuthenticationError,
                "missing_credentials",
                "No credentials: send `Authorization: Bearer <token>`.".into(),
                None,
            ),
            Self::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                AuthenticationError,
                "invalid_token",
                "The access token is invalid. Log in again with POST /v1/auth/login.".into(),
                None,
            ),
            Self::TokenExpired => (
                StatusCode::UNAUTHORIZED,
                AuthenticationError,
                "token_expired",
                "The access token has expired. Log in again with POST /v1/auth/login.".into(),
                None,
            ),
            Self::InvalidApiKey => (
                StatusCode::UNAUTHORIZED,
                AuthenticationError,
                "invalid_api_key",
                "Invalid API key: send an active secret key as `Authorization: Bearer sk_test_…`.".into(),
                None,
            ),
            Self::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                AuthenticationError,
                "invalid_credentials",
                "Invalid email or password.".into(),
                None,
            ),
            Self::InsufficientRole { required } => (
                StatusCode::FORBIDDEN,
                PermissionError,
                "insufficient_role",
                format!("This action needs the {} role or higher on this merchant.", required.as_str()),
                None,
            ),
            Self::NotFound(what) => {
                (StatusCode::NOT_FOUND, InvalidRequestError, "resource_missing", format!("No such {what}."), None)
            }
            Self::RouteNotFound => (
                StatusCode::NOT_FOUND,
                InvalidRequestError,
                "route_not_found",
                "Unrecognized request URL. See the API reference at /docs.".into(),
                None,
            ),
            Self::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                InvalidRequestError,
                "method_not_allowed",
                "This URL does not accept that HTTP method.".into(),
                None,
            ),
            Self::LastOwner => (
                StatusCode::UNPROCESSABLE_ENTITY,
                StateError,
                "last_owner",
                "The last owner of a merchant cannot be removed; make another member owner first.".into(),
                None,
            ),
            Self::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ApiError,
                "service_unavailable",
                "The database is not reachable.".into(),
                None,
            ),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError,
                "internal_error",
                "An internal error occurred. Retry later, quoting the request id if it persists.".into(),
                None,
            ),
            Self::RateLimited { limit, retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                RateLimitError,
                "rate_limited",
                format!("Too many requests: at most {limit} a minute. Retry after {retry_after} seconds."),
                None,
            ),
            Self::Simulated(SimulatedStatus::InternalError) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError,
                "internal_error",
                "An internal error occurred (simulated by Kassa-Simulate).".into(),
                None,
            ),
            Self::Simulated(SimulatedStatus::TooManyRequests) => (
                StatusCode::TOO_MANY_REQUESTS,
                RateLimitError,
                "rate_limited",
                "Too many requests (simulated by Kassa-Simulate); retry after Retry-After seconds.".into(),
                None,
            ),
            Self::Simulated(SimulatedStatus::Unavailable) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ApiError,
                "service_unavailable",
                "The service is unavailable (simulated by Kassa-Simulate); retry after Retry-After seconds.".into(),
                None,
            ),
        };
        Parts { status, kind, code, message, param }
    }

    /// For an error response Kassa did not build itself (a panic, a timeout, a framework
    /// default): the closest documented error for its status.
    pub fn for_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::RouteNotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => Self::BodyTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedContentType,
            StatusCode::SERVICE_UNAVAILABLE => Self::Internal(anyhow::anyhow!("the request timed out")),
            s if s.is_client_error() => Self::Unreadable,
            s => Self::Internal(anyhow::anyhow!("unhandled error response with status {s}")),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::InvalidEmail => Self::InvalidEmail("email".into()),
            DomainError::WeakPassword => Self::WeakPassword,
            DomainError::InvalidUrl { field } => Self::InvalidUrl(field),
            DomainError::InsufficientRole { required } => Self::InsufficientRole { required },
            DomainError::InvalidName { field, reason } => {
                Self::ParameterInvalid { param: field.into(), message: reason.into() }
            }
            DomainError::InvalidRole => Self::ParameterInvalid {
                param: "role".into(),
                message: "must be owner, admin, developer or viewer".into(),
            },
            DomainError::InvalidAmount { field } => {
                Self::InvalidAmount(field, "must be a whole number of cents from 1 to 99999999 (9999 for $99.99).")
            }
            DomainError::InvalidCurrency => Self::InvalidCurrency,
            DomainError::MethodUnsupportedCurrency { method } => Self::MethodUnsupportedCurrency(method),
            DomainError::ManualCaptureUnsupported { method } => Self::ParameterInvalid {
                param: "capture_method".into(),
                message: format!(
                    "manual capture is for cards: {} is collected when it settles; use automatic",
                    method.as_str()
                ),
            },
            DomainError::InvalidPaymentMethodTypes(why) => {
                Self::ParameterInvalid { param: "payment_method_types".into(), message: why.into() }
            }
            DomainError::InvalidCardNumber => Self::InvalidCardNumber,
            DomainError::InvalidExpiry => Self::InvalidExpiry,
            DomainError::InvalidCvc => Self::InvalidCvc,
            DomainError::InvalidIban => Self::InvalidIban,
            DomainError::InvalidBankAccount { field } => Self::InvalidBankAccount(field),
            DomainError::InvalidMetadata(why) => {
                Self::ParameterInvalid { param: "metadata".into(), message: why.into() }
            }
            DomainError::ClockBackwards => Self::ClockBackwards,
            DomainError::InvalidSimulation => Self::ParameterInvalid {
                param: "Kassa-Simulate".into(),
                message: "must be status=500|429|503 (optionally with after_commit) and/or delay_ms=0..10000, \
                          separated by ;"
                    .into(),
            },
            DomainError::InvalidExpiresIn => {
                Self::ParameterInvalid { param: "expires_in".into(), message: "must be 1 to 86400 seconds".into() }
            }
            DomainError::InvalidId { kind } => {
                Self::ParameterInvalid { param: "id".into(), message: format!("not a valid {kind} id") }
            }
        }
    }
}

impl ApiError {
    /// The documented body of this error, with `request_id` (empty until `crate::respond`
    /// fills it in).
    pub fn body(&self, request_id: &str) -> (StatusCode, ErrorBody) {
        let parts = self.parts();
        let mut body = ErrorBody {
            error: ErrorDetail {
                kind: parts.kind,
                code: parts.code.to_owned(),
                message: parts.message,
                param: parts.param,
                decline_code: None,
                network_decline_code: None,
                attempts_remaining: None,
                request_id: request_id.to_owned(),
            },
        };
        if let Self::CardDeclined { decline, attempts_remaining } = self {
            body.error.decline_code = Some(decline.code.as_str().to_owned());
            body.error.network_decline_code = Some(decline.network_code.to_owned());
            body.error.attempts_remaining = Some(*attempts_remaining);
        }
        (parts.status, body)
    }

    /// One error of each kind the API answers with, for the contract's named examples
    /// (`crate::openapi`); those that name a request field name `named`, the field the
    /// response's prose names, or one of their own. The contract test fails when a response
    /// documents a code that none of these answers with.
    pub fn examples(named: Option<&str>) -> Vec<Self> {
        use crate::domain::{DeclineCode, MethodType};
        let param = named.unwrap_or("amount");
        vec![
            Self::InvalidJson("expected `,` or `}` at line 1 column 14".into()),
            Self::UnsupportedContentType,
            Self::BodyTooLarge,
            Self::ParameterMissing(param.into()),
            Self::UnknownParameter(param.into()),
            Self::ParameterInvalid { param: param.into(), message: "see the field's schema".into() },
            Self::Unreadable,
            Self::InvalidStartingAfter,
            Self::InvalidEmail(named.unwrap_or("email").into()),
            Self::WeakPassword,
            Self::InvalidUrl("success_url"),
            Self::InvalidAmount("amount", "must be a positive integer"),
            Self::InvalidCurrency,
            Self::MethodUnsupportedCurrency(MethodType::SepaDebit),
            Self::InvalidCardNumber,
            Self::InvalidExpiry,
            Self::InvalidCvc,
            Self::InvalidIban,
            Self::InvalidBankAccount("bsb_number"),
            Self::IdempotencyKeyReused,
            Self::EmailTaken,
            Self::UnknownUser,
            Self::AlreadyMember,
            Self::MissingCredentials,
            Self::InvalidToken,
            Self::TokenExpired,
            Self::InvalidApiKey,
            Self::InvalidCredentials,
            Self::CardDeclined { decline: Decline::of(DeclineCode::InsufficientFunds), attempts_remaining: 4 },
            Self::CardDeclined { decline: Decline::of(DeclineCode::AuthenticationRequired), attempts_remaining: 4 },
            Self::InvalidClientSecret,
            Self::InsufficientRole { required: Role::Developer },
            Self::NotFound("payment intent"),
            Self::RouteNotFound,
            Self::MethodNotAllowed,
            Self::IdempotencyKeyInUse,
            Self::ClockAdvancing,
            Self::ClockBackwards,
            Self::LastOwner,
            Self::InvalidState("succeeded"),
            Self::UnexpectedState("processing"),
            Self::PaymentIntentExpired,
            Self::RefundExceedsCaptured,
            Self::NoWebhookEndpoint,
            Self::Unavailable(anyhow::anyhow!("the database is unreachable")),
            Self::RateLimited { limit: 6000, retry_after: 12 },
            Self::Simulated(SimulatedStatus::InternalError),
            Self::Simulated(SimulatedStatus::TooManyRequests),
            Self::Simulated(SimulatedStatus::Unavailable),
            Self::Internal(anyhow::anyhow!("the cause, which only the log sees")),
        ]
    }

    pub fn log_if_internal(&self) {
        if let Self::Internal(cause) | Self::Unavailable(cause) = self {
            // Logged once, inside the request's span, so the line carries the request id.
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log_if_internal();
        let retry_after = match &self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            // A second: as soon as a well-behaved client may try again.
            _ => 1,
        };
        let (status, body) = self.body("");
        let mut response = (status, Json(body.clone())).into_response();
        response.extensions_mut().insert(body);
        if matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE) {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(retry_after));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::ApiError;

    /// Every documented error body (the contract's named examples), as a reviewer should see
    /// a change to one: status, type, code, message and param.
    #[test]
    fn the_documented_error_bodies_are_as_reviewed() {
        let bodies: Vec<String> = ApiError::examples(None)
            .iter()
            .map(|error| {
                let (status, body) = error.body("req_4Xo3yOJaFQwqnqEcbmV5BMb2");
                format!("{status}\n{}", serde_json::to_string_pretty(&body).unwrap())
            })
            .collect();
        insta::assert_snapshot!(bodies.join("\n\n"));
    }
}
