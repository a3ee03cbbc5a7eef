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
