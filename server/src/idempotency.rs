//! Idempotency keys (API.md "Idempotency"), for every POST, the way Stripe promises them: the
//! first answer for a (credential, key) pair is kept and replayed byte for byte, with
//! `Idempotent-Replayed: true`, for 24 hours, across restarts and replicas. The same key with
//! another request is `400 idempotency_key_reused`; while the first is still running,
//! `409 idempotency_key_in_use`.
//!
//! - **Scope.** A key belongs to the credential `crate::auth::credential` resolves (the very
//!   code that authenticates): the merchant of an API key, or a user. A checkout confirm is
//!   scoped by its client secret. A request with neither has no scope: its key is ignored and
//!   it simply runs, so no client is ever replayed another client's answer.
//! - **Fingerprint.** An HMAC, under a key the server keeps, of the method, the path and the
//!   canonical JSON body: one digit of a card number changed is another request.
//! - **Answers commit with the change.** The claim holds the key with a lease and a fence
//!   token (`store/idempotency.rs`). A handler that changes a payment saves its answer in the
//!   change's own transaction (`SaveAnswer`), so after a crash at any point a retry finds
//!   either the committed answer or nothing committed and a key it may take over once the
//!   lease ends. A request that changed nothing has its answer saved after it, under the fence.
//! - **What is not kept:** a 5xx (a timeout included), since nothing committed with it; and an
//!   answer that holds a secret shown once (a new API key, an access token, a webhook secret),
//!   marked [`NoStore`]. Both release the key, so a retry runs afresh. A client secret in a
//!   kept answer is stored as a placeholder and derived again on replay.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::{Credential, credential, member_role, named_merchant};
use crate::domain::PaymentIntentId;
use crate::error::ApiError;
use crate::respond::{finish, request_id_of};
use crate::store::{Answer, Claim, KeyHold, SaveAnswer};

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";
/// The largest body a request may have (axum's default limit).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A response extension: this answer holds a secret shown once, so it is never stored.
#[derive(Debug, Clone, Copy)]
pub struct NoStore;

/// The server's key for fingerprints, kept in the database so replicas agree.
#[derive(Clone)]
pub struct FingerprintKey(Vec<u8>);

impl FingerprintKey {
    pub fn new(key: &[u8]) -> Self {
        Self(key.to_vec())
    }

    /// What makes two requests "the same": method, path and query, and the body (as canonical
    /// JSON when it is JSON, so key order and spacing do not matter).
    fn fingerprint(&self, method: &str, path: &str, body: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC accepts keys of any length");
        mac.update(method.as_bytes());
        mac.update(b" ");
        mac.update(path.as_bytes());
        mac.update(b"\n");
        match serde_json::from_slice::<Value>(body) {
            Ok(json) => mac.update(canonical(&json).as_bytes()),
            Err(_) => mac.update(body),
        }
        hex::encode(mac.finalize().into_bytes())
    }
}

/// JSON with object keys sorted, recursively.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&map[k.as_str()])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// The key a request holds, for handlers that save their answer with their change.
#[derive(Debug, Clone, Default)]
pub struct Held(pub Option<KeyHold>);

impl<S: Send + Sync> FromRequestParts<S> for Held {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<KeyHold>().cloned()))
    }
}

impl Held {
    /// The saving half of a store call: `render` makes the answer from what the change returns.
    pub fn saving<'a, T>(&'a self, render: &'a (dyn Fn(&T) -> Answer + Sync)) -> Option<SaveAnswer<'a, T>> {
        self.0.as_ref().map(|hold| SaveAnswer { hold, render })
    }

    /// The response of a change whose store call took [`Held::saving`] and succeeded: under a
    /// key, its answer is kept already, and the middleware writes nothing more.
    pub fn respond(&self, answer: Answer) -> Response {
        let mut response = answer.into_response();
        if self.0.is_some() {
            response.extensions_mut().insert(KeptWithChange);
        }
        response
    }
}

/// A response extension: this answer was kept in the transaction of its change.
#[derive(Debug, Clone, Copy)]
struct KeptWithChange;

/// `200`/`201` with `body` as JSON; `secret` names the intent whose client secret it carries.
pub fn json_answer<T: serde::Serialize>(
    status: StatusCode,
    body: &T,
    secret: Option<(&str, &PaymentIntentId)>,
) -> Answer {
    Answer {
        status: status.as_u16(),
        // Serializing plain data into a Vec cannot fail.
        body: serde_json::to_vec(body).unwrap_or_default(),
        client_secret: secret.map(|(secret, id)| (secret.to_owned(), id.to_string())),
    }
}

/// An error's documented body, with its request id, as an answer.
pub fn error_answer(err: &ApiError, request_id: &str) -> Answer {
    let (status, body) = err.body(request_id);
    json_answer(status, &body, None)
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], self.body).into_response()
    }
}

pub async fn idempotency(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.headers().contains_key(HEADER) {
        return next.run(request).await;
    }
    let request_id = request_id_of(&request);
    let (mut parts, body) = request.into_parts();
    // Resolved here once; the handler's extractor reuses it from the extensions.
    let resolved = credential(&mut parts, &app).await;
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => return finish(ApiError::BodyTooLarge.into_response(), &request_id),
    };
    let scope = match resolved {
        Ok(Some(Credential::ApiKey(key))) => Some(Scope::Merchant(key.merchant_id).to_string()),
        // A user acting on a merchant (the dashboard) keeps its keys per merchant, named as the
        // extractor parses it: the same key on two merchants' objects is two requests. Only a
        // member gets a key's answer replayed: one removed since runs unkeyed, into its 404.
        // (A malformed header runs unkeyed too, into its 400.)
        Ok(Some(Credential::User(user))) => match named_merchant(&parts) {
            Ok(None) => Some(Scope::User(user).to_string()),
            Ok(Some(merchant)) => match member_role(&mut parts, &app, merchant, user).await {
                Ok(Some(_)) => Some(Scope::Member { user, merchant }.to_string()),
                Ok(None) => None,
                // Unkeyed, a retry could repeat the change: refuse instead.
                Err(err) => return finish(err.into_response(), &request_id),
            },
            Err(_) => None,
        },
        // Without a valid credential only a checkout confirm has one of its own, its client
        // secret; anything else runs unkeyed (the handler refuses a bad credential anyway).
        Ok(None) | Err(_) => client_secret_in(&bytes).map(|secret| Scope::ClientSecret(secret).to_string()),
    };
    let request = Request::from_parts(parts, Body::from(bytes.clone()));
    let Some(scope) = scope else { return next.run(request).await };
    match run(&app, request, bytes, next, &request_id, &scope).await {
        Ok(response) => response,
        Err(err) => finish(err.into_response(), &request_id),
    }
}

/// Whose idempotency keys a request's belong to.
pub enum Scope {
    /// A merchant's API keys.
    Merchant(Uuid),
    /// A user on their own account.
    User(Uuid),
    /// A user acting on a merchant (`Kassa-Merchant`).
    Member { user: Uuid, merchant: Uuid },
    /// A browser confirming a checkout with the intent's client secret.
    ClientSecret(String),
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Merchant(merchant) => write!(f, "merchant {merchant}"),
            Self::User(user) => write!(f, "user {user}"),
            Self::Member { user, merchant } => write!(f, "user {user} merchant {merchant}"),
            Self::ClientSecret(secret) => write!(f, "client_secret {secret}"),
        }
    }
}

/// What the store keeps of a scope: only a digest, as a client secret scopes a checkout confirm.
pub fn digest(scope: &str) -> String {
    hex::encode(Sha256::digest(scope.as_bytes()))
}

/// `crate::openapi::IDEMPOTENCY_KEY_PATTERN`.
fn valid_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    (1..=255).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_graphic() || *b == b' ')
        && bytes.first().is_some_and(u8::is_ascii_graphic)
        && bytes.last().is_some_and(u8::is_ascii_graphic)
}

fn client_secret_in(body: &[u8]) -> Option<String> {
    let json: Value = serde_json::from_slice(body).ok()?;
    json.get("client_secret")?.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

async fn run(
    app: &AppState,
    mut request: Request,
    bytes: Bytes,
    next: Next,
    request_id: &str,
    scope: &str,
) -> Result<Response, ApiError> {
    let key = request.headers().get(HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if !valid_key(&key) {
        return Err(ApiError::ParameterInvalid {
            param: "Idempotency-Key".into(),
            message: "must be 1 to 255 printable ASCII characters, the first and last not a space".into(),
        });
    }
    let credential = digest(scope);
    let path = request.uri().path_and_query().map_or("", |p| p.as_str()).to_owned();
    let fingerprint = app.fingerprints.fingerprint(request.method().as_str(), &path, &bytes);
    let lease = chrono::TimeDelta::from_std(app.config.request_timeout).unwrap_or(chrono::TimeDelta::seconds(30));

    match app.store.claim_idempotency_key(&credential, &key, &fingerprint, lease).await? {
        Claim::Reused => Err(ApiError::IdempotencyKeyReused),
        Claim::InUse => Err(ApiError::IdempotencyKeyInUse),
        Claim::Replay { status, body, secret_of } => {
            let mut body = String::from_utf8(body).map_err(|err| ApiError::Internal(err.into()))?;
            if let Some(intent) = secret_of {
                let intent = PaymentIntentId::parse(&intent).map_err(|err| ApiError::Internal(err.into()))?;
                let secret = app.client_secrets.issue(&intent);
                body = body.replace(crate::store::SECRET_PLACEHOLDER, &secret);
            }
            let status = StatusCode::from_u16(status)
                .map_err(|_| ApiError::Internal(anyhow::anyhow!("stored status {status}")))?;
            let mut response = (status, body).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
            Ok(response)
        }
        Claim::Proceed(hold) => {
            request.extensions_mut().insert(hold.clone());
            // Its own task, tracked so that shutdown waits for it: the request completes, and
            // its answer is kept, even if the client hangs up and this future is dropped.
            let (task_app, request_id) = (app.clone(), request_id.to_owned());
            let task = app.tasks.spawn(async move {
                let response = finish(next.run(request).await, &request_id);
                complete(&task_app, &hold, response).await
            });
            task.await.map_err(|err| ApiError::Internal(anyhow::anyhow!("idempotent request task: {err}")))
        }
    }
}

/// Keeps the answer of a request that saved none with its change, or releases the key (a 5xx,
/// a [`NoStore`] answer), and returns the answer.
async fn complete(app: &AppState, hold: &KeyHold, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, "reading a response to keep it");
            let _ = app.store.release_idempotency_key(hold).await;
            return ApiError::Internal(anyhow::anyhow!("unreadable response")).into_response();
        }
    };
    let kept = if parts.extensions.get::<KeptWithChange>().is_some() {
        Ok(())
    } else if parts.status.is_server_error() || parts.extensions.get::<NoStore>().is_some() {
        app.store.release_idempotency_key(hold).await
    } else {
        let answer = Answer { status: parts.status.as_u16(), body: body.to_vec(), client_secret: None };
        app.store.save_idempotent_answer(hold, &answer).await
    };
    if let Err(err) = kept {
        // Nothing this request committed is lost: its answer went with its change, or it
        // changed nothing and a retry may run again once the lease ends.
        tracing::error!(error = %err, "keeping an idempotent answer failed");
    }
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_as_the_contract_states() {
        let pattern = regex::Regex::new(crate::openapi::IDEMPOTENCY_KEY_PATTERN).unwrap();
        let longest = "k".repeat(255);
        let too_long = "k".repeat(256);
        for key in ["order-1", "a", "a b", " a", "a ", " ", "", "caf\u{e9}", "a\tb", &longest, &too_long] {
            assert_eq!(pattern.is_match(key), valid_key(key), "{key:?}");
        }
    }

    #[test]
    fn fingerprints_tell_bodies_and_paths_apart() {
        let key = FingerprintKey::new(b"server key");
        let a = key.fingerprint("POST", "/v1/payment-intents", br#"{"amount": 1000, "currency": "usd"}"#);
        assert_eq!(a, key.fingerprint("POST", "/v1/payment-intents", br#"{"currency":"usd","amount":1000}"#));
        assert_ne!(a, key.fingerprint("POST", "/v1/payment-intents", br#"{"amount": 1001, "currency": "usd"}"#));
        assert_ne!(a, key.fingerprint("POST", "/v1/payment-intents/x/void", br#"{"amount": 1000, "currency": "usd"}"#));
        assert_ne!(
            a,
            FingerprintKey::new(b"other key").fingerprint(
                "POST",
                "/v1/payment-intents",
                br#"{"amount": 1000, "currency": "usd"}"#
            )
        );
    }

    #[test]
    fn one_digit_of_a_card_number_makes_another_request() {
        let key = FingerprintKey::new(b"server key");
        let visa = br#"{"card": {"number": "4242 4242 4242 4242"}}"#;
        let same_last4 = br#"{"card": {"number": "4000 0000 0000 4242"}}"#;
        assert_ne!(key.fingerprint("POST", "/c", visa), key.fingerprint("POST", "/c", same_last4));
    }
}
