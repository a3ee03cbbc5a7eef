//! Request logs (API.md "request logs"; the Stripe dashboard's Developers → Logs): every
//! request a merchant's API key makes is recorded with its method, path, status, request id,
//! idempotency key, duration and time, and its bodies as `domain::redact` leaves them (card
//! numbers as brand and last four, no CVC, every secret masked).
//!
//! The middleware hands each entry to a bounded queue and answers at once; a writer task
//! stores the queue in batches, so a log entry never adds a commit (or an fsync) to the request
//! it records. If the queue is full the entry is dropped, with a warning, rather than slowing
//! the API down. Reads of the request logs themselves are not recorded.

use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::{Mutex, mpsc, watch};

use crate::app::AppState;
use crate::auth::{Credential, credential};
use crate::domain::RequestId;
use crate::domain::redact::redact_body;
use crate::error::ApiError;
use crate::respond::{finish, request_id_of};
use crate::store::{RequestLogRow, Store};

/// The largest request body (axum's default limit).
const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// How much of each body an entry keeps, after redaction.
const KEPT_BODY_BYTES: usize = 32 * 1024;
/// How many entries may wait for the writer.
const QUEUE: usize = 10_000;
/// How many entries the writer stores in one transaction.
const BATCH: usize = 1000;

/// The queue between requests and the writer.
pub struct RequestLogs {
    queue: mpsc::Sender<RequestLogRow>,
    /// Taken by the writer when it starts.
    waiting: Mutex<Option<mpsc::Receiver<RequestLogRow>>>,
}

impl Default for RequestLogs {
    fn default() -> Self {
        let (queue, waiting) = mpsc::channel(QUEUE);
        Self { queue, waiting: Mutex::new(Some(waiting)) }
    }
}

impl RequestLogs {
    fn push(&self, entry: RequestLogRow) {
        if self.queue.try_send(entry).is_err() {
            tracing::warn!("the request log queue is full: an entry was dropped");
        }
    }

    /// The writer: stores queued entries in batches until `stop`, then what is left.
    pub async fn write(&self, store: Store, mut stop: watch::Receiver<bool>) {
        let Some(mut waiting) = self.waiting.lock().await.take() else { return };
        let mut stopping = false;
        loop {
            stopping = stopping || *stop.borrow();
            let first = if stopping {
                // Shutting down: store what is queued, then end.
                waiting.try_recv().ok()
            } else {
                tokio::select! {
                    entry = waiting.recv() => entry,
                    changed = stop.changed() => {
                        // A dropped sender means the app is gone: stop as well.
                        stopping = changed.is_err() || *stop.borrow();
                        continue;
                    }
                }
            };
            let Some(first) = first else { return };
            let mut batch = vec![first];
            while batch.len() < BATCH {
                match waiting.try_recv() {
                    Ok(entry) => batch.push(entry),
                    Err(_) => break,
                }
            }
            if let Err(err) = store.insert_request_logs(&batch).await {
                tracing::warn!(error = %err, entries = batch.len(), "writing request logs failed");
            }
        }
    }
}

fn kept(body: &[u8]) -> String {
    let mut text = redact_body(body);
    if text.len() > KEPT_BODY_BYTES {
        let mut cut = KEPT_BODY_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("…[truncated]");
    }
    text
}

/// Middleware: records the API requests made with a merchant's secret key.
pub async fn record(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let with_key = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && token.trim().starts_with("sk_test_"));
    // Reading the logs is not logged: each look would add to what it looks at.
    let path = request.uri().path();
    if !with_key || !path.starts_with("/v1/") || path.starts_with("/v1/request-logs") {
        return next.run(request).await;
    }
    let started = Instant::now();
    let request_id = request_id_of(&request);
    let (mut parts, body) = request.into_parts();
    // Resolved here once (the handler's extractor reuses it); a key that is not valid makes no
    // entry: there is no merchant to show it to.
    let merchant = match credential(&mut parts, &app).await {
        Ok(Some(Credential::ApiKey(key))) => key.merchant_id,
        _ => return next.run(Request::from_parts(parts, body)).await,
    };
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => return finish(ApiError::BodyTooLarge.into_response(), &request_id),
    };
    let method = parts.method.to_string();
    let path = parts.uri.path().to_owned();
    let idempotency_key = parts
        .headers
        .get(crate::idempotency::HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|k| k.chars().take(255).collect());
    let response = next.run(Request::from_parts(parts, Body::from(bytes.clone()))).await;
    let (response_parts, response_body) = response.into_parts();
    let response_bytes = match to_bytes(response_body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return ApiError::Internal(anyhow::anyhow!("an unreadable response")).into_response(),
    };
    if let Ok(id) = RequestId::parse(&request_id) {
        app.request_logs.push(RequestLogRow {
            id,
            merchant_id: merchant,
            method,
            path,
            status: i64::from(response_parts.status.as_u16()),
            idempotency_key,
            duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
            request_body: kept(&bytes),
            response_body: kept(&response_bytes),
            created_at: app.store.clock().now(),
        });
    }
    Response::from_parts(response_parts, Body::from(response_bytes))
}
