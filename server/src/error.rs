//! `ApiError`: every way a request can fail, and the ONE place each becomes the documented JSON
//! error shape (API.md "Errors"). Each documented `code` string appears once, below.
//!
//! A 500 never leaks internals: `Internal` carries the cause for the log and answers with a fixed
//! message. The request id is filled in by [`render_errors`], the middleware that also turns any
//! error response not built here (a panic, a timeout, a framework default) into this shape.

use axum::Json;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{DomainError, Role};
use crate::store::StoreError;

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
    #[schema(nullable = true)]
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
    #[error(transparent)]
    Domain(#[from] DomainError),
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
    // 403
    #[error("role {required:?} required")]
    InsufficientRole { required: Role },
    // 404 / 405
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("no such route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    // 422
    #[error("last owner")]
    LastOwner,
    // 500
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound("object"),
            StoreError::UnknownCursor => Self::InvalidStartingAfter,
            StoreError::LastOwner => Self::LastOwner,
            other => Self::Internal(other.into()),
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
            Self::Domain(err) => return domain_parts(err),
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
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError,
                "internal_error",
                "An internal error occurred. Retry later, quoting the request id if it persists.".into(),
                None,
            ),
        };
        Parts { status, kind, code, message, param }
    }

    /// For an error response Kassa did not build itself (a panic, a timeout, a framework
    /// default): the closest documented error for its status.
    fn for_status(status: StatusCode) -> Self {
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

fn domain_parts(err: &DomainError) -> Parts {
    let (code, message, param): (_, String, _) = match err {
        DomainError::InvalidEmail => {
            ("invalid_email", "Enter a valid email address, like ada@example.com.".into(), "email")
        }
        DomainError::WeakPassword => (
            "weak_password",
            "Passwords need at least 10 characters, with at least one letter and one digit.".into(),
            "password",
        ),
        DomainError::InvalidName { field, reason } => ("parameter_invalid", format!("`{field}` {reason}."), *field),
        DomainError::InvalidUrl { field } => {
            ("invalid_url", format!("`{field}` must be an absolute http:// or https:// URL."), *field)
        }
        DomainError::InvalidRole => {
            ("invalid_role", "`role` must be one of owner, admin, developer, viewer.".into(), "role")
        }
        DomainError::InvalidId { kind } => ("parameter_invalid", format!("This is not a valid {kind} id."), "id"),
    };
    Parts {
        status: StatusCode::BAD_REQUEST,
        kind: ErrorType::InvalidRequestError,
        code,
        message,
        param: Some(param.to_owned()),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            // Logged once, inside the request's span, so the line carries the request id.
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let parts = self.parts();
        let body = ErrorBody {
            error: ErrorDetail {
                kind: parts.kind,
                code: parts.code.to_owned(),
                message: parts.message,
                param: parts.param,
                request_id: String::new(),
            },
        };
        let mut response = (parts.status, Json(body.clone())).into_response();
        response.extensions_mut().insert(body);
        response
    }
}

/// Middleware: gives every error body its request id, and gives every error response that was
/// not built by `ApiError` the documented shape (never a framework's plain text).
pub async fn render_errors(request: Request, next: Next) -> Response {
    let request_id =
        request.headers().get(crate::app::REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let mut response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    if response.extensions().get::<ErrorBody>().is_none() {
        response = ApiError::for_status(status).into_response();
    }
    let Some(mut body) = response.extensions_mut().remove::<ErrorBody>() else {
        return response;
    };
    body.error.request_id = request_id;
    let Ok(json) = serde_json::to_vec(&body) else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json))
}
