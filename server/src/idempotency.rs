//! Idempotency keys (API.md "Idempotency"), for every POST: the first response for a
//! (credential, key) pair is stored in the database and replayed byte for byte, with
//! `Idempotent-Replayed: true`, for 24 hours, across restarts and replicas. The same key with
//! another request is `400 idempotency_key_reused`; while the first is still running,
//! `409 idempotency_key_in_use`.
//!
//! A retried request never runs twice. The key is claimed before the handler runs, and the
//! handler runs in its own task, so a client that hangs up does not abandon the request half
//! way: its response is still stored. Every answer is kept, 5xx included (as Stripe does): a
//! 500 may come after a commit, and running the retry could charge twice. Only if the process
//! itself dies mid-request is a key left without an answer; it then stays in use until it ages
//! out rather than risk a second charge.
//!
//! What is not kept: an answer that holds a secret shown once (a new API key, an access token,
//! a webhook secret) is marked [`NoStore`]; its key is released instead, so a retry simply runs
//! again. Card numbers never reach the store: they are masked before the request is
//! fingerprinted, and error messages never echo input values.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::domain::ApiKeySecret;
use crate::error::{ApiError, finish, request_id_of};
use crate::store::Claim;

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";
/// The largest body a request may have (axum's default limit).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A response extension: this answer holds a secret shown once, so it is never stored.
#[derive(Debug, Clone, Copy)]
pub struct NoStore;

pub async fn idempotency(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.headers().contains_key(HEADER) {
        return next.run(request).await;
    }
    let request_id = request_id_of(&request);
    // Keys belong to a credential: without a valid one there is nothing to scope the key to,
    // and the handler refuses the request anyway (a revoked key must never get a replay).
    let authorization = request.headers().get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or_default().to_owned());
    let Some(scope) = scope(&app, authorization, request.uri().path()).await else {
        return next.run(request).await;
    };
    match run(&app, request, next, &request_id, &scope).await {
        Ok(response) => response,
        Err(err) => finish(err.into_response(), &request_id),
    }
}

/// Whose key this is: the merchant of a valid API key, the user of a valid token, or, for
/// the requests that carry no credential (register, login, a checkout confirm), the path.
async fn scope(app: &AppState, authorization: Option<String>, path: &str) -> Option<String> {
    let Some(value) = authorization else {
        return Some(format!("path {path}"));
    };
    let token = value.strip_prefix("Bearer ")?.trim();
    if let Some(secret) = ApiKeySecret::parse(token) {
        let key = app.store.authenticate_api_key(&secret).await.ok()??;
        return Some(format!("merchant {}", key.merchant_id));
    }
    let user = app.jwt.verify(token).ok()?;
    Some(format!("user {user}"))
}

async fn run(
    app: &AppState,
    request: Request,
    next: Next,
    request_id: &str,
    scope: &str,
) -> Result<Response, ApiError> {
    let key = request.headers().get(HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(ApiError::ParameterInvalid {
            param: "Idempotency-Key".into(),
            message: "must be 1 to 255 printable ASCII characters".into(),
        });
    }
    let credential = hex::encode(Sha256::digest(scope.as_bytes()));
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, BODY_LIMIT).await.map_err(|_| ApiError::BodyTooLarge)?;
    let fingerprint = fingerprint(parts.method.as_str(), parts.uri.path_and_query().map_or("", |p| p.as_str()), &bytes);

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
            // Its own task: the request completes, and its answer is stored, even if the
            // client hangs up and this future is dropped.
            let (app, request_id) = (app.clone(), request_id.to_owned());
            let request = Request::from_parts(parts, Body::from(bytes));
            let task = tokio::spawn(async move {
                let response = finish(next.run(request).await, &request_id);
                complete(&app, &credential, &key, response).await
            });
            task.await.map_err(|err| ApiError::Internal(anyhow::anyhow!("idempotent request task: {err}")))
        }
    }
}

/// Stores (or, for a [`NoStore`] answer, releases) the key's answer, and returns the answer.
async fn complete(app: &AppState, credential: &str, key: &str, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, "reading a response to store it");
            return ApiError::Internal(anyhow::anyhow!("unreadable response")).into_response();
        }
    };
    let stored = if parts.extensions.get::<NoStore>().is_some() {
        app.store.release_idempotency_key(credential, key).await
    } else {
        let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        app.store.save_idempotent_response(credential, key, parts.status.as_u16(), content_type, &body).await
    };
    if let Err(err) = stored {
        // The request's effect is committed: its answer goes out regardless.
        tracing::error!(error = %err, "storing an idempotent response failed; the key stays in use until it expires");
    }
    Response::from_parts(parts, Body::from(body))
}

/// What makes two requests "the same": method, path and query, and body — with any card
/// number masked to its last four digits, so no card number is hashed into the store.
fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method);
    hasher.update(b" ");
    hasher.update(path);
    hasher.update(b"\n");
    match serde_json::from_slice::<Value>(body) {
        Ok(mut json) => {
            if let Some(number) = json.pointer_mut("/card/number").filter(|n| n.is_string()) {
                let digits: String = number.as_str().unwrap_or_default().chars().filter(char::is_ascii_digit).collect();
                let last4 = &digits[digits.len().saturating_sub(4)..];
                *number = Value::String(format!("{}…{last4}", digits.len()));
            }
            hasher.update(json.to_string());
        }
        Err(_) => hasher.update(body),
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_tell_bodies_and_paths_apart() {
        let a = fingerprint("POST", "/v1/payment-intents", br#"{"amount": 1000}"#);
        assert_eq!(a, fingerprint("POST", "/v1/payment-intents", br#"{"amount": 1000}"#));
        assert_ne!(a, fingerprint("POST", "/v1/payment-intents", br#"{"amount": 1001}"#));
        assert_ne!(a, fingerprint("POST", "/v1/payment-intents/x/void", br#"{"amount": 1000}"#));
    }

    #[test]
    fn card_numbers_are_masked_before_hashing() {
        let visa = br#"{"card": {"number": "4242 4242 4242 4242"}}"#;
        let same_last4 = br#"{"card": {"number": "4000 0000 0000 4242"}}"#;
        let other = br#"{"card": {"number": "4000 0000 0000 0002"}}"#;
        assert_eq!(fingerprint("POST", "/c", visa), fingerprint("POST", "/c", same_last4));
        assert_ne!(fingerprint("POST", "/c", visa), fingerprint("POST", "/c", other));
    }
}
