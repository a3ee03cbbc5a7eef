//! Events: the record of every state change of a merchant's objects, newest first. Payment
//! transitions append them (`payment_intents.rs`), with a snapshot the store owns
//! (`snapshot.rs`); this is the read side, which hands back typed objects.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::snapshot::Snapshot;
use super::{Page, Resource, Store, StoreError, StoreResult, cursor, read};
use crate::domain::webhook::DeliveryStatus;
use crate::domain::{EventId, EventKind, PaymentIntent, PaymentIntentId, Refund};

/// The object an event is about, as it was at that moment.
#[derive(Debug, Clone)]
pub enum EventObject {
    PaymentIntent(Box<PaymentIntent>),
    Refund(Refund),
}

#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: EventId,
    pub kind: EventKind,
    pub object: EventObject,
    pub created_at: DateTime<Utc>,
    /// Deliveries to the webhook endpoint still waiting for their next attempt (0 or 1).
    pub pending_webhooks: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct RawEvent {
    pub(super) id: String,
    pub(super) merchant_id: Uuid,
    #[sqlx(rename = "type")]
    pub(super) kind: String,
    pub(super) data: String,
    pub(super) created_at: DateTime<Utc>,
    pub(super) pending_webhooks: i64,
}

/// The columns of a [`RawEvent`] from `events e`, with `$P` the pending delivery status.
macro_rules! event_columns {
    ($pending:literal) => {
        concat!(
            "e.id, e.merchant_id, e.type, e.data, e.created_at, (SELECT COUNT(*) FROM deliveries d \
             WHERE d.event_id = e.id AND d.status = ",
            $pending,
            ") AS pending_webhooks"
        )
    };
}
pub(super) use event_columns;

impl TryFrom<RawEvent> for EventRow {
    type Error = StoreError;
    fn try_from(raw: RawEvent) -> StoreResult<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("event {}: {what}", raw.id));
        let object = match Snapshot::from_json(&raw.data)? {
            Snapshot::PaymentIntent(intent) => {
                EventObject::PaymentIntent(Box::new((*intent).into_domain(raw.merchant_id)?))
            }
            Snapshot::Refund(refund) => EventObject::Refund(refund.into_domain()?),
        };
        Ok(Self {
            id: EventId::parse(&raw.id).map_err(|_| corrupt("id"))?,
            kind: EventKind::parse(&raw.kind).ok_or_else(|| corrupt("type"))?,
            object,
            created_at: raw.created_at,
            pending_webhooks: raw.pending_webhooks,
        })
    }
}

/// Which of the merchant's events a list holds.
#[derive(Debug, Default)]
pub struct EventFilter {
    pub kind: Option<EventKind>,
    /// The events of one payment intent and its refunds.
    pub payment_intent: Option<PaymentIntentId>,
}

impl Store {
    pub async fn list_events(
        &self,
        merchant: Uuid,
        filter: &EventFilter,
        page: Page<EventId>,
    ) -> StoreResult<(Vec<EventRow>, bool)> {
        let (after_at, after_seq) = cursor!(
            self,
            "SELECT created_at, seq FROM events WHERE merchant_id = $1 AND id = $2",
            merchant,
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            i64
        );
        let rows: Vec<RawEvent> = read!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                event_columns!("$6"),
                " FROM events e WHERE e.merchant_id = $1 AND ($2 IS NULL OR e.type = $2) \
                 AND ($3 IS NULL OR e.created_at < $3 OR (e.created_at = $3 AND e.seq < $4)) \
                 AND ($7 IS NULL OR e.payment_intent_id = $7) \
                 ORDER BY e.created_at DESC, e.seq DESC LIMIT $5"
            ))
            .bind(merchant)
            .bind(filter.kind.map(EventKind::as_str))
            .bind(after_at)
            .bind(after_seq)
            .bind(i64::from(page.limit) + 1)
            .bind(DeliveryStatus::Pending.as_str())
            .bind(filter.payment_intent.as_ref().map(AsRef::<str>::as_ref))
            .fetch_all(pool)
            .await?
        });
        let events = rows.into_iter().map(EventRow::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok(super::split_page(events, page.limit))
    }

    pub async fn get_event(&self, merchant: Uuid, id: &EventId) -> StoreResult<EventRow> {
        let raw: Option<RawEvent> = read!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                event_columns!("$3"),
                " FROM events e WHERE e.merchant_id = $1 AND e.id = $2"
            ))
            .bind(merchant)
            .bind(id.as_ref())
            .bind(DeliveryStatus::Pending.as_str())
            .fetch_optional(pool)
            .await?
        });
        raw.ok_or(StoreError::NotFound(Resource::Event))?.try_into()
    }
}
