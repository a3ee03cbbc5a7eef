//! The wire shape of every error (API.md "Errors"): the `Error` schema of the contract.
//! `crate::error` fills it; nothing else builds one.

use serde::Serialize;
use utoipa::ToSchema;

/// The error body of every non-2xx response.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The class of error; the HTTP status follows from it.
    #[serde(rename = "type")]
    pub kind: ErrorType,
    /// A stable, machine-readable reason, such as `weak_password` or `insufficient_role`.
    #[schema(example = "weak_password")]
    pub code: String,
    /// A human-readable explanation, safe to show to a developer.
    pub message: String,
    /// The request field, query or path parameter at fault, when there is one.
    #[schema(required = true)]
    pub param: Option<String>,
    /// For a `card_error`: why the issuer declined, e.g. `insufficient_funds`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "insufficient_funds")]
    pub decline_code: Option<String>,
    /// For a `card_error`: the network's response code, e.g. `51`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "51")]
    pub network_decline_code: Option<String>,
    /// For a `card_error`: how many more attempts the payment intent accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 4)]
    pub attempts_remaining: Option<i64>,
    /// The `Request-Id` of the failed request, to quote in a support request.
    #[schema(example = "req_4Xo3yOJaFQwqnqEcbmV5BMb2")]
    pub request_id: String,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorType {
    /// 400 or 404: the request is malformed, or names something that does not exist.
    InvalidRequestError,
    /// 401: no valid credential was presented.
    AuthenticationError,
    /// 403: the credential is valid but may not do this.
    PermissionError,
    /// 402: the card was declined.
    CardError,
    /// 422: the object is not in a state that allows this.
    StateError,
    /// 400 or 409: an `Idempotency-Key` was misused.
    IdempotencyError,
    /// 429: too many requests.
    RateLimitError,
    /// 500: something went wrong on Kassa's side.
    ApiError,
}
