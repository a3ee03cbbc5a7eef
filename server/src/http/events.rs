//! Events (API.md "Events and webhooks"): the merchant's record of state changes, read with a
//! secret API key. Payment transitions append to it in the same transaction as the change.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{AppPath, AppQuery, ListParams};
use crate::app::AppState;
use crate::auth::MerchantKey;
use crate::domain::EventId;
use crate::error::{ApiError, ErrorBody};
use crate::store::{EventRow, StoreError};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_events)).routes(routes!(get_event))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum EventType {
    #[serde(rename = "payment_intent.created")]
    PaymentIntentCreated,
    #[serde(rename = "payment_intent.authorized")]
    PaymentIntentAuthorized,
    #[serde(rename = "payment_intent.succeeded")]
    PaymentIntentSucceeded,
    #[serde(rename = "payment_intent.payment_failed")]
    PaymentIntentPaymentFailed,
    #[serde(rename = "payment_intent.canceled")]
    PaymentIntentCanceled,
    #[serde(rename = "payment_intent.expired")]
    PaymentIntentExpired,
    #[serde(rename = "refund.created")]
    RefundCreated,
}

impl EventType {
    fn as_str(self) -> &'static str {
        match self {
            Self::PaymentIntentCreated => "payment_intent.created",
            Self::PaymentIntentAuthorized => "payment_intent.authorized",
            Self::PaymentIntentSucceeded => "payment_intent.succeeded",
            Self::PaymentIntentPaymentFailed => "payment_intent.payment_failed",
            Self::PaymentIntentCanceled => "payment_intent.canceled",
            Self::PaymentIntentExpired => "payment_intent.expired",
            Self::RefundCreated => "refund.created",
        }
    }
}

/// Something that happened to one of the merchant's objects.
#[derive(Debug, Serialize, ToSchema)]
pub struct Event {
    #[schema(example = "evt_1NirD82eZvKYlo2CIvbtLWuY")]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub created_at: DateTime<Utc>,
    pub data: EventData,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventData {
    /// The object (payment intent or refund) as it was when the event happened.
    #[schema(value_type = Object)]
    pub object: serde_json::Value,
}

impl TryFrom<EventRow> for Event {
    type Error = ApiError;
    fn try_from(row: EventRow) -> Result<Self, ApiError> {
        let corrupt = |what: &str| ApiError::Internal(anyhow::anyhow!("event {} has an invalid {what}", row.id));
        let kind = serde_json::from_value(serde_json::Value::String(row.kind.clone())).map_err(|_| corrupt("type"))?;
        let object = serde_json::from_str(&row.data).map_err(|_| corrupt("data"))?;
        Ok(Self { id: row.id, kind, created_at: row.created_at, data: EventData { object } })
    }
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
    /// How many events to return, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub limit: Option<i64>,
    /// Return the events after this one (its id), for the next page.
    pub starting_after: Option<String>,
}

/// List events
///
/// The merchant's events, newest first, optionally of one type.
#[utoipa::path(
    get, path = "/v1/events", tag = "events", security(("api_key" = [])),
    params(EventListParams),
    responses(
        (status = 200, description = "A page of events.", body = EventList),
        (status = 400, description = "`parameter_invalid` (type, limit), `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
    )
)]
pub async fn list_events(
    key: MerchantKey,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<EventListParams>,
) -> Result<Json<EventList>, ApiError> {
    let page = ListParams { limit: params.limit, starting_after: params.starting_after }.page(EventId::parse)?;
    let kind = params.kind.map(EventType::as_str);
    let (rows, has_more) = app.store.list_events(key.merchant_id, kind, page).await?;
    let data = rows.into_iter().map(Event::try_from).collect::<Result<_, _>>()?;
    Ok(Json(EventList { data, has_more }))
}

/// Get an event
///
/// One of the merchant's events. Another merchant's event is 404.
#[utoipa::path(
    get, path = "/v1/events/{event_id}", tag = "events", security(("api_key" = [])),
    params(("event_id" = String, Path, description = "The event's id, `evt_…`.")),
    responses(
        (status = 200, description = "The event.", body = Event),
        (status = 400, description = "`parameter_invalid`: not an event id.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such event for this merchant.", body = ErrorBody),
    )
)]
pub async fn get_event(
    key: MerchantKey,
    State(app): State<AppState>,
    AppPath(event_id): AppPath<String>,
) -> Result<Json<Event>, ApiError> {
    let id = EventId::parse(&event_id).map_err(|_| ApiError::ParameterInvalid {
        param: "event_id".into(),
        message: "must be an event id, evt_…".into(),
    })?;
    let row = app.store.get_event(key.merchant_id, &id).await.map_err(|err| match err {
        StoreError::NotFound => ApiError::NotFound("event"),
        other => other.into(),
    })?;
    Ok(Json(row.try_into()?))
}
