//! Events: the record of every state change of a merchant's objects, newest first. The payment
//! transitions that append them arrive with payment intents; this is the read side.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Page, Store, StoreError, StoreResult, cursor, read};
use crate::domain::EventId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    /// The event's `data.object` as JSON text, frozen at the moment of the change.
    pub data: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    pub async fn list_events(
        &self,
        merchant: Uuid,
        kind: Option<&str>,
        page: Page<EventId>,
    ) -> StoreResult<(Vec<EventRow>, bool)> {
        let (after_at, after_id) = cursor!(
            self,
            "SELECT created_at, id FROM events WHERE merchant_id = $1 AND id = $2",
            merchant,
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            String
        );
        let rows: Vec<EventRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, type, data, created_at FROM events
                 WHERE merchant_id = $1 AND ($2 IS NULL OR type = $2)
                   AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4))
                 ORDER BY created_at DESC, id DESC LIMIT $5",
            )
            .bind(merchant)
            .bind(kind)
            .bind(after_at)
            .bind(after_id)
            .bind(i64::from(page.limit) + 1)
            .fetch_all(pool)
            .await?
        });
        Ok(super::split_page(rows, page.limit))
    }

    pub async fn get_event(&self, merchant: Uuid, id: &EventId) -> StoreResult<EventRow> {
        read!(self, |pool| {
            sqlx::query_as("SELECT id, type, data, created_at FROM events WHERE merchant_id = $1 AND id = $2")
                .bind(merchant)
                .bind(id.as_ref())
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }
}
