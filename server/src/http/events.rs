//! Events (API.md "Events and webhooks"): the merchant's record of state changes, read with a
//! secret API key. Payment transitions append to it in the same transaction as the change.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::payment_intents::{PaymentIntent, Secret, intent_filter};
use super::refunds::Refund;
use super::{AppPath, AppQuery, ListParams, Wire};
use crate::app::AppState;
use crate::auth::{Developer, MerchantAccess, Viewer};
use crate::domain::webhook::Trigger;
use crate::domain::{EventId, EventKind};
use crate::error::{ApiError, ErrorBody};
use crate::store::{AttemptRow, EventFilter, EventObject, EventRow};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events))
        .routes(routes!(get_event))
        .routes(routes!(list_event_deliveries))
        .routes(routes!(redeliver_event))
}

/// An event's type on the wire: the domain's [`EventKind`], spelled by `EventKind::as_str`
/// alone, so the contract's list of types cannot drift from what the server emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventType(pub EventKind);

impl Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        EventKind::parse(&raw).map(Self).ok_or_else(|| serde::de::Error::custom("not a documented event type"))
    }
}

impl utoipa::PartialSchema for EventType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(EventKind::ALL.map(EventKind::as_str)))
            .into()
    }
}

impl ToSchema for EventType {}

/// Something that happened to one of the merchant's objects.
#[derive(Debug, Serialize, ToSchema)]
pub struct Event {
    #[schema(example = "evt_1NirD82eZvKYlo2CIvbtLWuY")]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub created_at: DateTime<Utc>,
    pub data: EventData,
    /// Deliveries to the merchant's webhook endpoint still waiting for their next attempt.
    #[schema(example = 0)]
    pub pending_webhooks: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventData {
    /// The object (payment intent or refund) as it was when the event happened.
    pub object: EventDataObject,
}

/// The object an event is about, as it was then: a payment intent or a refund, told apart by
/// its `object` field.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
#[schema(discriminator(property_name = "object", mapping(
    ("payment_intent" = "#/components/schemas/PaymentIntent"),
    ("refund" = "#/components/schemas/Refund")
)))]
pub enum EventDataObject {
    PaymentIntent(Box<PaymentIntent>),
    Refund(Refund),
}

impl Event {
    /// Renders a stored event: its object's snapshot through the same wire types as a live
    /// object, with what is derived (the client secret) derived now.
    fn render(wire: &Wire, row: &EventRow, secret: Secret) -> Result<Self, ApiError> {
        let object = match &row.object {
            EventObject::PaymentIntent(intent) => {
                EventDataObject::PaymentIntent(Box::new(PaymentIntent::as_written(wire, intent, secret)))
            }
            EventObject::Refund(refund) => EventDataObject::Refund(Refund::from(refund)),
        };
        Ok(Self {
            id: row.id.to_string(),
            kind: EventType(row.kind),
            created_at: row.created_at,
            data: EventData { object },
            pending_webhooks: row.pending_webhooks,
        })
    }
}

/// The bytes a webhook delivery carries: the event as `GET /v1/events/{event_id}` shows it.
pub fn event_json(wire: &Wire, row: &EventRow) -> Vec<u8> {
    // Plain data always serializes; an unrenderable snapshot was refused when it was read.
    Event::render(wire, row, Secret::Shown).ok().and_then(|event| serde_json::to_vec(&event).ok()).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttemptTrigger {
    /// The retry schedule.
    Scheduled,
    /// `POST /v1/events/{event_id}/redeliver`.
    Manual,
    /// Forwarded by `kassa listen` to its local URL.
    Listen,
}

/// One attempt to deliver an event to the merchant's webhook endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryAttempt {
    #[schema(example = "att_4Xo3yOJaFQwqnqEcbmV5BMb2")]
    pub id: String,
    /// Always `delivery_attempt`.
    #[schema(example = "delivery_attempt")]
    pub object: String,
    pub event: String,
    /// 1 for the first attempt of the event's delivery.
    #[schema(example = 1)]
    pub number: i64,
    pub trigger: AttemptTrigger,
    #[schema(example = "https://shop.example/webhooks")]
    pub url: String,
    /// The receiver's HTTP status; any 2xx delivered the event, anything else (3xx included:
    /// redirects are not followed) failed.
    #[schema(required = true, example = 200)]
    pub status_code: Option<i64>,
    /// Why there was no answer: `timeout` (10 s), `connection_refused`, `dns`, `tls_error`,
    /// `connection_failed`, `refused_address`, `network_error`, `no_endpoint`.
    #[schema(required = true)]
    pub error: Option<String>,
    #[schema(example = 12)]
    pub duration_ms: i64,
    /// The first 2 KB of the receiver's answer.
    pub response_body: String,
    /// When the next scheduled attempt is due, if this one failed and the schedule goes on.
    #[schema(required = true)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&AttemptRow> for DeliveryAttempt {
    fn from(row: &AttemptRow) -> Self {
        Self {
            id: row.id.to_string(),
            object: "delivery_attempt".into(),
            event: row.event_id.to_string(),
            number: row.number,
            trigger: match row.trigger {
                Trigger::Scheduled => AttemptTrigger::Scheduled,
                Trigger::Manual => AttemptTrigger::Manual,
                Trigger::Listen => AttemptTrigger::Listen,
            },
            url: row.url.clone(),
            status_code: row.status_code,
            error: row.error.clone(),
            duration_ms: row.duration_ms,
            response_body: row.response_body.clone(),
            next_attempt_at: row.next_attempt_at,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryAttemptList {
    pub data: Vec<DeliveryAttempt>,
    /// Whether another page follows; pass the last id as `starting_after` to get it.
    pub has_more: bool,
}

/// What a redelivery did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Redelivery {
    /// Whether the webhook endpoint answered 2xx (false when there is none).
    pub delivered: bool,
    /// The attempt to the merchant's `webhook_url`, as `GET /v1/events/{event_id}/deliveries`
    /// lists it; null when the merchant has no `webhook_url`.
    #[schema(required = true)]
    pub attempt: Option<DeliveryAttempt>,
    /// How many `kassa listen` listeners of the merchant will forward the event again (at once,
    /// or when they next connect).
    #[schema(example = 1)]
    pub listeners: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    pub data: Vec<Event>,
    /// Whether another page follows; pass the last id as `starting_after` to get it.
    pub has_more: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventListParams {
    /// Only events of this type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<EventType>,
    /// Only events of this payment intent (`pi_…`), its refunds' included: its timeline.
    pub payment_intent: Option<String>,
    /// How many events to return, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub limit: Option<i64>,
    /// Return the events after this one (its id), for the next page.
    pub starting_after: Option<String>,
}

/// List events
///
/// The merchant's events, newest first, optionally of one type or of one payment intent.
#[utoipa::path(
    get, path = "/v1/events", tag = "events", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(EventListParams),
    responses(
        (status = 200, description = "A page of events.", body = EventList),
        (status = 400, description = "`parameter_invalid` (type, payment_intent, limit), `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
    )
)]
pub async fn list_events(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<EventListParams>,
) -> Result<Json<EventList>, ApiError> {
    let page = ListParams { limit: params.limit, starting_after: params.starting_after }.page(EventId::parse)?;
    let filter = EventFilter {
        kind: params.kind.map(|k| k.0),
        payment_intent: intent_filter(params.payment_intent.as_deref())?,
    };
    let (rows, has_more) = app.store.list_events(key.merchant_id, &filter, page).await?;
    let data =
        rows.iter().map(|row| Event::render(&app.wire, row, Secret::for_reader(&key))).collect::<Result<_, _>>()?;
    Ok(Json(EventList { data, has_more }))
}

/// Get an event
///
/// One of the merchant's events. Another merchant's event is 404.
#[utoipa::path(
    get, path = "/v1/events/{event_id}", tag = "events", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(("event_id" = String, Path, description = "The event's id, `evt_…`.")),
    responses(
        (status = 200, description = "The event.", body = Event),
        (status = 400, description = "`parameter_invalid`: not an event id.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such event for this merchant.", body = ErrorBody),
    )
)]
pub async fn get_event(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppPath(event_id): AppPath<String>,
) -> Result<Json<Event>, ApiError> {
    let id = self::event_id(&event_id)?;
    let row = app.store.get_event(key.merchant_id, &id).await?;
    Ok(Json(Event::render(&app.wire, &row, Secret::for_reader(&key))?))
}

fn event_id(raw: &str) -> Result<EventId, ApiError> {
    EventId::parse(raw).map_err(|_| ApiError::ParameterInvalid {
        param: "event_id".into(),
        message: "must be an event id, evt_…".into(),
    })
}

/// List an event's delivery attempts
///
/// Every attempt to deliver the event to the merchant's webhook endpoint, newest first: its
/// number, what made it, the URL, the receiver's status or why there was none, how long it
/// took, the first 2 KB of the answer, and when the next attempt is due.
#[utoipa::path(
    get, path = "/v1/events/{event_id}/deliveries", tag = "events", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(("event_id" = String, Path, description = "The event's id, `evt_…`."), ListParams),
    responses(
        (status = 200, description = "A page of attempts.", body = DeliveryAttemptList),
        (status = 400, description = "`parameter_invalid`, `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such event for this merchant.", body = ErrorBody),
    )
)]
pub async fn list_event_deliveries(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppPath(raw): AppPath<String>,
    AppQuery(params): AppQuery<ListParams>,
) -> Result<Json<DeliveryAttemptList>, ApiError> {
    let id = event_id(&raw)?;
    let page = params.page(crate::domain::AttemptId::parse)?;
    let (rows, has_more) = app.store.list_delivery_attempts(key.merchant_id, &id, page).await?;
    Ok(Json(DeliveryAttemptList { data: rows.iter().map(DeliveryAttempt::from).collect(), has_more }))
}

/// Redeliver an event
///
/// Makes an attempt to deliver the event to the merchant's webhook endpoint now, signed now,
/// and answers once the receiver has (or 10 s have passed). A success marks the delivery
/// delivered; a failure leaves the retry schedule as it was. Every `kassa listen` of the
/// merchant forwards the event again too, at once or when it next connects.
#[utoipa::path(
    post, path = "/v1/events/{event_id}/redeliver", tag = "events", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(("event_id" = String, Path, description = "The event's id, `evt_…`.")),
    responses(
        (status = 201, description = "The attempt was made (see `delivered`).", body = Redelivery),
        (status = 400, description = "`parameter_invalid`: not an event id; `idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: a user token of a viewer; this needs a developer or above.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such event for this merchant.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`.", body = ErrorBody),
        (status = 422, description = "`no_webhook_endpoint`: the merchant has neither a `webhook_url` nor a listener.", body = ErrorBody),
    )
)]
pub async fn redeliver_event(
    key: MerchantAccess<Developer>,
    State(app): State<AppState>,
    AppPath(raw): AppPath<String>,
) -> Result<(axum::http::StatusCode, Json<Redelivery>), ApiError> {
    let id = event_id(&raw)?;
    app.store.get_event(key.merchant_id, &id).await?;
    let listeners = app.store.queue_listen_redeliveries(key.merchant_id, &id).await?;
    let merchant = app.store.get_merchant(key.merchant_id).await?;
    if merchant.webhook_url.is_none() {
        if listeners == 0 {
            return Err(ApiError::NoWebhookEndpoint);
        }
        return Ok((axum::http::StatusCode::CREATED, Json(Redelivery { delivered: false, attempt: None, listeners })));
    }
    let delivery = app.store.delivery_for_redelivery(key.merchant_id, &id).await?;
    let attempted = app.outbox.redeliver(&delivery).await?;
    let (attempts, _) = app
        .store
        .list_delivery_attempts(key.merchant_id, &id, crate::store::Page { limit: 1, starting_after: None })
        .await?;
    let attempt =
        attempts.first().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a recorded attempt is missing")))?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(Redelivery { delivered: attempted.outcome.delivered(), attempt: Some(attempt.into()), listeners }),
    ))
}
