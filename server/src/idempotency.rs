//! Idempotency keys (API.md "Idempotency"), for every POST: the first response for a
//! (credential, key) pair is stored in the database and replayed byte for byte, with
//! `Idempotent-Replayed: true`, for 24 hours, across restarts and replicas. The same key with
//! another request is `400 idempotency_key_reused`; while the first is still running,
//! `409 idempotency_key_in_use`.
//!
//! A retried request never runs twice: a key is claimed before the handler runs, and a key
//! whose request never finished (the process died mid-way) stays in use until it ages out,
//! rather than risk a second charge. A 5xx answer is not kept, so the retry may run.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::error::{ApiError, finish, request_id_of};
use crate::store::Claim;

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";
/// The largest body a request may have (axum's default limit).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub async fn idempotency(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.headers().contains_key(HEADER) {
        return next.run(request).await;
    }
    let request_id = request_id_of(&request);
    match run(&app, request, next, &request_id).await {
        Ok(response) => response,
        Err(err) => finish(err.into_response(), &request_id),
    }
}

async fn run(app: &AppState, request: Request, next: Next, request_id: &str) -> Result<Response, ApiError> {
    let key = request.headers().get(HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(ApiError::ParameterInvalid {
            param: "Idempotency-Key".into(),
            message: "must be 1 to 255 printable ASCII characters".into(),
        });
    }
    // Keys are scoped per credential (hashed: no secret is kept). Requests without one
    // (register, login, a checkout confirm with its secret in the body) are scoped per path.
    let credential = match request.headers().get(header::AUTHORIZATION) {
        Some(value) => hex::encode(Sha256::digest(value.as_bytes())),
        None => hex::encode(Sha256::digest(format!("anonymous {}", request.uri().path()))),
    };
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, BODY_LIMIT).await.map_err(|_| ApiError::BodyTooLarge)?;
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str());
    hasher.update(b" ");
    hasher.update(parts.uri.path_and_query().map_or("", |p| p.as_str()));
    hasher.update(b"\n");
    hasher.update(&bytes);
    let fingerprint = hex::encode(hasher.finalize());

    match app.store.claim_idempotency_key(&credential, &key, &fingerprint).await? {
        Claim::Reused => Err(ApiError::IdempotencyKeyReused),
        Claim::InUse => Err(ApiError::IdempotencyKeyInUse),
        Claim::Replay { status, content_type, body } => {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = axum::http::StatusCode::from_u16(status)
                .map_err(|_| ApiError::Internal(anyhow::anyhow!("stored status {status}")))?;
            if let Some(content_type) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
                response.headers_mut().insert(header::CONTENT_TYPE, content_type);
            }
            response.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
            Ok(response)
        }
        Claim::Proceed => {
            let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            // Rendered now, so the stored bytes are the ones the client gets.
            let response = finish(response, request_id);
            let (parts, body) = response.into_parts();
            let body = to_bytes(body, usize::MAX).await.map_err(|err| ApiError::Internal(anyhow::anyhow!("{err}")))?;
            if parts.status.is_server_error() {
                app.store.release_idempotency_key(&credential, &key).await?;
            } else {
                let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
                app.store
                    .save_idempotent_response(&credential, &key, parts.status.as_u16(), content_type, &body)
                    .await?;
            }
            Ok(Response::from_parts(parts, Body::from(body)))
        }
    }
}
