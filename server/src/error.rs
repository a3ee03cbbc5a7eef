//! `ApiError`: every way a request can fail, and the ONE place each becomes the documented JSON
//! error shape (API.md "Errors"). Each documented `code` string appears once, below.
//!
//! A 500 never leaks internals: `Internal` carries the cause for the log and answers with a fixed
//! message. The request id is filled in by [`render_errors`], the middleware that also turns any
//! error response not built here (a panic, a timeout, a framework default) into this shape.

use crate::domain::{DomainError, Role};
pub use crate::http::error_body::{ErrorBody, ErrorDetail, ErrorType};
use crate::store::StoreError;
use axum::Json;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
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
    #[error("invalid email")]
    InvalidEmail,
    #[error("weak password")]
    WeakPassword,
    #[error("invalid URL in {0}")]
    InvalidUrl(&'static str),
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
    // 503, for readiness probes only.
    #[error("unavailable: {0:#}")]
    Unavailable(anyhow::Error),
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
            StoreError::Refused(err) => err.into(),
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
            Self::InvalidEmail => (
                StatusCode::BAD_REQUEST,
                InvalidRequestError,
                "invalid_email",
                "Enter a valid email address, like ada@example.com.".into(),
                Some("email".into()),
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

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::InvalidEmail => Self::InvalidEmail,
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
            DomainError::InvalidId { kind } => {
                Self::ParameterInvalid { param: "id".into(), message: format!("not a valid {kind} id") }
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) | Self::Unavailable(cause) = &self {
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
