//! What the SDK adds to every request the generated client sends, as Stripe's SDKs do:
//! - each POST gets an `Idempotency-Key`: the caller's (`Client::with_idempotency_key`), or a
//!   fresh one, so that it can be retried safely;
//! - a request that can be retried (any GET or DELETE, a POST with its key) is sent again after
//!   a connection error or timeout, a `409` (a request with the same key still running, or the
//!   merchant's test clock advancing), a `429` or a `5xx`, a bounded number of times, with
//!   exponential backoff and jitter, honouring `Retry-After`. Each retry is the same request,
//!   key included, so the server runs it at most once.
//! - the POSTs the contract offers no key on (register, login, and those answering with a
//!   secret shown once: `UNKEYED_POSTS`, read from the contract at build time) are resent only
//!   when they cannot have run: the connection failed, or the answer was a 429.

use std::time::Duration;

use progenitor_client::{ClientHooks, OperationInfo};
use rand::Rng as _;
use reqwest::header::{HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use crate::Client;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// How a client sends its requests: the inner value of every [`Client`].
#[derive(Clone, Debug)]
pub struct Options {
    /// How many times a failed request is sent again (`2`: at most three attempts).
    pub max_retries: u32,
    /// The wait before the first retry; it doubles for each retry after, with jitter.
    pub initial_delay: Duration,
    /// The longest wait between attempts, also for a longer `Retry-After`.
    pub max_delay: Duration,
    /// Whether a POST without an `Idempotency-Key` is given a fresh one.
    pub idempotency_keys: bool,
    /// The `Idempotency-Key` of this client's POSTs instead of a fresh one: see
    /// [`Client::with_idempotency_key`].
    pub idempotency_key: Option<String>,
    /// Told of every answer the server gives, each attempt's: for logs and metrics, or for
    /// a conformance suite that measures what it saw.
    pub observer: Option<Observer>,
}

/// One answer the server gave: the operation asked for, the status, its `Request-Id`, for an
/// error in the documented shape its `code`, and the body as it came.
#[derive(Clone, Copy, Debug)]
pub struct Observation<'a> {
    pub operation_id: &'a str,
    pub status: StatusCode,
    pub request_id: Option<&'a str>,
    pub code: Option<&'a str>,
    pub body: &'a [u8],
}

/// See [`Options::observer`]. The answer's body is read for it, then handed on unchanged.
#[derive(Clone)]
pub struct Observer(pub std::sync::Arc<dyn Fn(Observation<'_>) + Send + Sync>);

impl std::fmt::Debug for Observer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Observer")
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            idempotency_keys: true,
            idempotency_key: None,
            observer: None,
        }
    }
}

impl Options {
    /// Requests exactly as called: no generated keys and no retries (for tests that judge each
    /// answer the server gives, as the conformance suite does).
    pub fn exact() -> Self {
        Self { max_retries: 0, idempotency_keys: false, ..Self::default() }
    }

    /// The wait before retry number `retry` (0 for the first): the server's `Retry-After` if
    /// it gave one, else `initial_delay · 2^retry` less up to half of it at random; never
    /// more than `max_delay`.
    fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let wait = retry_after.unwrap_or_else(|| {
            let backoff = self.initial_delay.saturating_mul(2u32.saturating_pow(retry));
            backoff.mul_f64(rand::rng().random_range(0.5..=1.0))
        });
        wait.min(self.max_delay)
    }
}

include!(concat!(env!("OUT_DIR"), "/unkeyed.rs"));

/// Whether sending `request` twice cannot do a thing twice.
fn replayable(request: &reqwest::Request) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD | Method::DELETE)
        || request.headers().contains_key(IDEMPOTENCY_KEY)
}

/// An answer that a later attempt may improve on: for a request that cannot run twice, only
/// one that says it did not run.
fn transient(status: StatusCode, replayable: bool) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || (replayable && (status == StatusCode::CONFLICT || status.is_server_error()))
}

/// A failure worth another attempt: for a request that cannot run twice, only one that never
/// reached the server.
fn lost(err: &reqwest::Error, replayable: bool) -> bool {
    err.is_connect() || (replayable && (err.is_timeout() || err.is_request()))
}

fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let seconds = response.headers().get(RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(seconds))
}

impl ClientHooks<Options> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if request.method() != Method::POST
            || UNKEYED_POSTS.contains(&info.operation_id)
            || request.headers().contains_key(IDEMPOTENCY_KEY)
        {
            return Ok(());
        }
        let key = match &self.inner.idempotency_key {
            Some(key) => key.clone(),
            None if self.inner.idempotency_keys => uuid::Uuid::new_v4().to_string(),
            None => return Ok(()),
        };
        let key = HeaderValue::try_from(key)
            .map_err(|err| progenitor_client::Error::InvalidRequest(format!("Idempotency-Key: {err}")))?;
        request.headers_mut().insert(IDEMPOTENCY_KEY, key);
        Ok(())
    }

    async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let replayable = replayable(&request);
        for retry in 0..self.inner.max_retries {
            // A body that cannot be copied (a stream) is sent once.
            let Some(attempt) = request.try_clone() else { break };
            let wait = match self.attempt(attempt, info).await {
                Ok(response) if !transient(response.status(), replayable) => return Ok(response),
                Ok(response) => self.inner.delay(retry, retry_after(&response)),
                Err(err) if lost(&err, replayable) => self.inner.delay(retry, None),
                Err(err) => return Err(err),
            };
            tokio::time::sleep(wait).await;
        }
        self.attempt(request, info).await
    }
}

impl Client {
    /// This client, sending `key` as the `Idempotency-Key` of its POSTs instead of a fresh one,
    /// for a request that must run once even when sent again later (after a crash, say):
    /// `kassa.with_idempotency_key(&order_id).create_payment_intent(&request)`. One key is for
    /// one request: the same key with another request is `400 idempotency_key_reused`.
    pub fn with_idempotency_key(&self, key: &str) -> Client {
        let options = Options { idempotency_key: Some(key.to_owned()), ..self.inner.clone() };
        Client::new_with_client(&self.baseurl, self.client.clone(), options)
    }

    /// Sends `request` once, and tells the observer, if there is one, what came back.
    async fn attempt(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let response = self.client.execute(request).await?;
        let Some(Observer(observer)) = &self.inner.observer else { return Ok(response) };
        let (status, operation_id) = (response.status(), info.operation_id);
        // The body is read for the observer, and the answer rebuilt around the same bytes.
        let (version, headers) = (response.version(), response.headers().clone());
        let body = response.bytes().await?;
        let parsed: Option<serde_json::Value> = if status.is_client_error() || status.is_server_error() {
            serde_json::from_slice(&body).ok()
        } else {
            None
        };
        let code = parsed.as_ref().and_then(|error| error["error"]["code"].as_str());
        let request_id = headers.get("request-id").and_then(|v| v.to_str().ok());
        observer(Observation { operation_id, status, request_id, code, body: &body });
        let mut rebuilt = http::Response::new(body);
        (*rebuilt.status_mut(), *rebuilt.version_mut(), *rebuilt.headers_mut()) = (status, version, headers);
        Ok(rebuilt.into())
    }
}
