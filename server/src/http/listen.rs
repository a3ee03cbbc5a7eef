//! `kassa listen` (API.md "Running it"): what the command line uses to stream the merchant's
//! events to a local URL, like a webhook endpoint would receive them. A long poll, so it works
//! through any proxy: `GET /v1/listen/events` answers as soon as there are events after the
//! key's cursor (or after `wait` seconds with none), each with the exact bytes and signature
//! headers to forward; `POST /v1/listen/attempts` records the local answer as a delivery attempt
//! and moves the cursor past the event. One cursor per API key: a listener that restarts, or
//! whose server restarts, goes on where it was.

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::events::{DeliveryAttempt, EventType, event_json};
use super::{AppJson, AppQuery};
use crate::app::AppState;
use crate::auth::MerchantKey;
use crate::domain::webhook::{self, RESPONSE_EXCERPT_BYTES, Trigger};
use crate::domain::{EventId, EventKind};
use crate::error::{ApiError, ErrorBody};
use crate::store::{NewAttempt, Page, Settle};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_listen_session))
        .routes(routes!(listen_events))
        .routes(routes!(record_listen_attempt))
}

/// The longest a long poll waits.
const MAX_WAIT: u64 = 25;
/// How many events one poll hands over.
const BATCH: i64 = 20;

/// What a listener needs to start.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListenSession {
    /// The secret the forwarded events are signed with: the same for this API key every time.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub webhook_secret: String,
    /// The last event this key's listener forwarded; a new listener starts after the latest.
    #[schema(required = true)]
    pub cursor: Option<String>,
}

/// One event to forward, exactly as a webhook endpoint would get it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListenDelivery {
    pub event_id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The request body to forward, byte for byte.
    pub body: String,
    /// The `Kassa-Signature` header, signed now with the listener's secret.
    pub kassa_signature: String,
    pub webhook_id: String,
    pub webhook_timestamp: String,
    pub webhook_signature: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListenBatch {
    /// Oldest first.
    pub data: Vec<ListenDelivery>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListenParams {
    /// Seconds to wait for an event when there is none yet, 0 to 25 (default 25).
    #[param(minimum = 0, maximum = 25, default = 25)]
    pub wait: Option<u64>,
    /// Only these event types, comma-separated.
    #[param(example = "payment_intent.succeeded,refund.created")]
    pub types: Option<String>,
}

/// The local answer to one forwarded event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListenAttemptRequest {
    pub event_id: String,
    /// Where it was forwarded.
    pub url: String,
    /// The local answer's status, or none if there was no answer.
    #[schema(minimum = 0, maximum = 65535)]
    pub status_code: Option<u16>,
    /// Why there was no answer: `timeout`, `connection_refused`, `network_error`.
    pub error: Option<String>,
    pub duration_ms: i64,
    /// The start of the local answer (only 2 KB are kept).
    pub response_body: Option<String>,
}

fn listen_secret(app: &AppState, key: &MerchantKey) -> crate::domain::WebhookSecret {
    crate::domain::WebhookSecret::for_listener(app.listen_key.as_bytes(), &key.key_id)
}

/// Start listening
///
/// The signing secret of this API key's listener (the same every time) and its cursor. The
/// first call makes the cursor, after the merchant's latest event.
#[utoipa::path(
    get, path = "/v1/listen", tag = "listen", security(("api_key" = [])),
    responses(
        (status = 200, description = "The listener's secret and cursor.", body = ListenSession),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
    )
)]
pub async fn get_listen_session(
    key: MerchantKey,
    State(app): State<AppState>,
) -> Result<Json<ListenSession>, ApiError> {
    let cursor = app.store.listen_cursor(&key.key_id, key.merchant_id).await?;
    Ok(Json(ListenSession {
        webhook_secret: listen_secret(&app, &key).expose().to_owned(),
        cursor: cursor.map(|c| c.to_string()),
    }))
}

/// Wait for events
///
/// The merchant's events after this key's cursor, oldest first, each signed now with the
/// listener's secret; waits up to `wait` seconds for the first one. Events a redelivery asked
/// for come first. The cursor moves only when an attempt is recorded, so events handed over but
/// never answered come again.
#[utoipa::path(
    get, path = "/v1/listen/events", tag = "listen", security(("api_key" = [])),
    params(ListenParams),
    responses(
        (status = 200, description = "Events to forward (none if `wait` passed without one).", body = ListenBatch),
        (status = 400, description = "`parameter_invalid` (wait, types), `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
    )
)]
pub async fn listen_events(
    key: MerchantKey,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<ListenParams>,
) -> Result<Json<ListenBatch>, ApiError> {
    let wait = match params.wait {
        None => MAX_WAIT,
        Some(w @ 0..=MAX_WAIT) => w,
        Some(_) => {
            return Err(ApiError::ParameterInvalid { param: "wait".into(), message: "must be 0 to 25 seconds".into() });
        }
    };
    let kinds = match &params.types {
        None => Vec::new(),
        Some(raw) => {
            raw.split(',').map(|t| EventKind::parse(t.trim())).collect::<Option<Vec<_>>>().ok_or_else(|| {
                ApiError::ParameterInvalid { param: "types".into(), message: "not documented event types".into() }
            })?
        }
    };
    let deadline = Instant::now() + Duration::from_secs(wait);
    let secret = listen_secret(&app, &key);
    // Made once if the key never listened; then only read while the poll waits.
    app.store.listen_cursor(&key.key_id, key.merchant_id).await?;
    loop {
        // Redeliveries first, whatever their type: someone asked for them.
        let redeliveries = app.store.listen_redeliveries(&key.key_id, key.merchant_id).await?;
        let cursor = app.store.read_listen_cursor(&key.key_id).await?;
        let mut events = if redeliveries.is_empty() {
            app.store.events_after(key.merchant_id, cursor.as_ref(), &[], BATCH).await?
        } else {
            Vec::new()
        };
        // Events of other types are passed over: the cursor moves past them at once.
        if let Some(last) = events.last()
            && !kinds.is_empty()
        {
            let last = last.id.clone();
            events.retain(|e| kinds.contains(&e.kind));
            if events.is_empty() {
                app.store.advance_listen_cursor(&key.key_id, &last).await?;
                continue;
            }
        }
        events.splice(0..0, redeliveries);
        if !events.is_empty() || Instant::now() >= deadline {
            let unix = app.store.clock().wall_now().timestamp();
            let data = events
                .iter()
                .map(|event| {
                    let body = event_json(&app.wire, event);
                    let signed = webhook::sign(&secret, event.id.as_ref(), unix, &body);
                    ListenDelivery {
                        event_id: event.id.to_string(),
                        kind: EventType(event.kind),
                        body: String::from_utf8_lossy(&body).into_owned(),
                        kassa_signature: signed.kassa_signature,
                        webhook_id: signed.webhook_id,
                        webhook_timestamp: signed.webhook_timestamp,
                        webhook_signature: signed.webhook_signature,
                    }
                })
                .collect();
            return Ok(Json(ListenBatch { data }));
        }
        // A shutting-down server answers at once, so its long polls do not hold it up.
        let mut stopping = app.stopping.subscribe();
        if *stopping.borrow() {
            return Ok(Json(ListenBatch { data: Vec::new() }));
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(200)) => {}
            _ = stopping.changed() => {}
        }
    }
}

/// Record a forwarded event's answer
///
/// Records the local answer as the event's delivery attempt (trigger `listen`) and moves the
/// key's cursor past the event.
#[utoipa::path(
    post, path = "/v1/listen/attempts", tag = "listen", security(("api_key" = [])),
    request_body(content = ListenAttemptRequest, example = json!({"event_id": "evt_1NirD82eZvKYlo2CIvbtLWuY", "url": "http://127.0.0.1:8000/webhook", "status_code": 200, "duration_ms": 4, "response_body": "ok"})),
    responses(
        (status = 201, description = "The attempt, as the event's deliveries list it.", body = DeliveryAttempt),
        (status = 400, description = "`parameter_invalid` (event_id), `parameter_missing`, `unknown_parameter`, `invalid_json`, `invalid_content_type`, `idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such event for this merchant.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`.", body = ErrorBody),
    )
)]
pub async fn record_listen_attempt(
    key: MerchantKey,
    State(app): State<AppState>,
    AppJson(req): AppJson<ListenAttemptRequest>,
) -> Result<(StatusCode, Json<DeliveryAttempt>), ApiError> {
    let event = EventId::parse(&req.event_id).map_err(|_| ApiError::ParameterInvalid {
        param: "event_id".into(),
        message: "must be an event id, evt_…".into(),
    })?;
    let delivery = app.store.delivery_for_redelivery(key.merchant_id, &event).await?;
    let error = req.error.as_deref().map(|e| match e {
        "timeout" => "timeout",
        "connection_refused" => "connection_refused",
        _ => "network_error",
    });
    let mut excerpt = req.response_body.unwrap_or_default();
    if excerpt.len() > RESPONSE_EXCERPT_BYTES {
        let mut cut = RESPONSE_EXCERPT_BYTES;
        while !excerpt.is_char_boundary(cut) {
            cut -= 1;
        }
        excerpt.truncate(cut);
    }
    let attempt = NewAttempt {
        // Beside the merchant's other attempts, by its clock.
        at: app.store.now_for(key.merchant_id).await?,
        number: delivery.attempts + 1,
        trigger: Trigger::Listen,
        url: &req.url,
        status_code: req.status_code,
        error,
        duration_ms: req.duration_ms.max(0),
        response_body: &excerpt,
        next_attempt_at: None,
    };
    // A listener's answer is not the webhook endpoint's: it leaves that delivery's schedule be.
    app.store.record_attempt(&delivery.id, &attempt, Settle::Manual { delivered: false }).await?;
    app.store.advance_listen_cursor(&key.key_id, &event).await?;
    let (attempts, _) =
        app.store.list_delivery_attempts(key.merchant_id, &event, Page { limit: 1, starting_after: None }).await?;
    let recorded =
        attempts.first().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a recorded attempt is missing")))?;
    Ok((StatusCode::CREATED, Json(recorded.into())))
}
