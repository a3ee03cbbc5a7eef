//! The last word on every response: the `Request-Id` header's name, and the middleware that
//! gives each error body its request id and the documented shape to error responses Kassa did
//! not build itself (a panic, a timeout, a framework default). What each error *means* is
//! `crate::error`'s; this only finishes responses.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::{HeaderName, HeaderValue, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ErrorBody};

/// Every response carries the id of its request in this header (API.md "Conventions").
pub const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");

/// Middleware: gives every error body its request id, and gives every error response that was
/// not built by `ApiError` the documented shape (never a framework's plain text).
pub async fn render_errors(request: Request, next: Next) -> Response {
    let request_id = request_id_of(&request);
    let response = next.run(request).await;
    finish(response, &request_id)
}

/// The request's id, for a handler that renders an error body itself (an answer it saves).
pub struct RequestId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.headers.get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()))
    }
}

pub fn request_id_of(request: &Request) -> String {
    request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// Renders an error response in its final form, with `request_id`. Success responses, and
/// error responses already rendered (a replayed one, say), pass unchanged.
pub fn finish(mut response: Response, request_id: &str) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    if response.extensions().get::<ErrorBody>().is_none() {
        // A JSON error already rendered (a replay), or an HTML page for people (the checkout's
        // 403 page), is final as it is.
        let content_type = response.headers().get(header::CONTENT_TYPE).map(HeaderValue::as_bytes).unwrap_or_default();
        if content_type == b"application/json" || content_type.starts_with(b"text/html") {
            return response;
        }
        response = ApiError::for_status(status).into_response();
    }
    let Some(mut body) = response.extensions_mut().remove::<ErrorBody>() else {
        return response;
    };
    body.error.request_id = request_id.to_owned();
    let Ok(json) = serde_json::to_vec(&body) else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json))
}
