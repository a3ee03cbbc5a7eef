//! Events (API.md "Events and webhooks"): the merchant's record of state changes, read with a
//! secret API key. Payment transitions append to it in the same transaction as the change.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::payment_intents::PaymentIntent;
use super::refunds::Refund;
use super::{AppPath, AppQuery, ListParams};
use crate::app::AppState;
use crate::auth::MerchantKey;
use crate::domain::{EventId, EventKind};
use crate::error::{ApiError, ErrorBody};
use crate::store::{EventObject, EventRow};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_events)).routes(routes!(get_event))
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
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventData {
    /// The object (payment intent or refund) as it was when the event happened.
    #[schema(value_type = Object)]
    pub object: serde_json::Value,
}

impl Event {
    /// Renders a stored event: its object's snapshot through the same wire types as a live
    /// object, with what is derived (the client secret) derived now.
    fn render(app: &AppState, row: &EventRow) -> Result<Self, ApiError> {
        let object = match &row.object {
            EventObject::PaymentIntent(intent) => serde_json::to_value(PaymentIntent::as_written(app, intent)),
            EventObject::Refund(refund) => serde_json::to_value(Refund::from(refund)),
        }
        .map_err(|err| ApiError::Internal(err.into()))?;
        Ok(Self {
            id: row.id.to_string(),
            kind: EventType(row.kind),
            created_at: row.created_at,
            data: EventData { object },
        })
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
    let (rows, has_more) = app.store.list_events(key.merchant_id, params.kind.map(|k| k.0), page).await?;
    let data = rows.iter().map(|row| Event::render(&app, row)).collect::<Result<_, _>>()?;
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
    let row = app.store.get_event(key.merchant_id, &id).await?;
    Ok(Json(Event::render(&app, &row)?))
}
