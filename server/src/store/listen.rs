//! `kassa listen`: each API key's listener has a cursor, the last event it forwarded, so a
//! listener that restarts (or whose server does) goes on where it was, losing and repeating
//! nothing. A new listener starts after the merchant's latest event: it forwards what happens
//! from now on, as `stripe listen` does.

use uuid::Uuid;

use super::events::{RawEvent, event_columns};
use super::{EventRow, Store, StoreResult, read, transaction};
use crate::domain::webhook::DeliveryStatus;
use crate::domain::{EventId, EventKind};

impl Store {
    /// The key's cursor, made (after the latest event) if the key never listened.
    pub async fn listen_cursor(&self, key_id: &str, merchant: Uuid) -> StoreResult<Option<EventId>> {
        if let Some(cursor) = self.read_listen_cursor_row(key_id).await? {
            return Ok(cursor);
        }
        let now = self.clock.now();
        let cursor: Option<String> = transaction!(self, |tx| {
            let latest: Option<String> = sqlx::query_scalar(
                "SELECT id FROM events WHERE merchant_id = $1 ORDER BY created_at DESC, seq DESC LIMIT 1",
            )
            .bind(merchant)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO listen_cursors (key_id, event_id, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key_id) DO NOTHING",
            )
            .bind(key_id)
            .bind(latest)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let cursor: Option<String> = sqlx::query_scalar("SELECT event_id FROM listen_cursors WHERE key_id = $1")
                .bind(key_id)
                .fetch_one(&mut *tx)
                .await?;
            Ok(cursor)
        })?;
        Ok(cursor.and_then(|id| EventId::parse(&id).ok()))
    }

    /// The key's cursor as it is (a read: polling it writes nothing).
    pub async fn read_listen_cursor(&self, key_id: &str) -> StoreResult<Option<EventId>> {
        Ok(self.read_listen_cursor_row(key_id).await?.flatten())
    }

    /// `None` when the key never listened; else its cursor (`None` before any event).
    async fn read_listen_cursor_row(&self, key_id: &str) -> StoreResult<Option<Option<EventId>>> {
        let cursor: Option<Option<String>> = read!(self, |pool| {
            sqlx::query_scalar("SELECT event_id FROM listen_cursors WHERE key_id = $1")
                .bind(key_id)
                .fetch_optional(pool)
                .await?
        });
        Ok(cursor.map(|event| event.and_then(|id| EventId::parse(&id).ok())))
    }

    /// Up to `limit` of the merchant's events after `after` (all of them when `None`), oldest
    /// first, of `kinds` (any when empty).
    pub async fn events_after(
        &self,
        merchant: Uuid,
        after: Option<&EventId>,
        kinds: &[EventKind],
        limit: i64,
    ) -> StoreResult<Vec<EventRow>> {
        let rows: Vec<RawEvent> = read!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                event_columns!("$4"),
                " FROM events e LEFT JOIN events c ON c.id = $2 AND c.merchant_id = $1 \
                 WHERE e.merchant_id = $1 AND ($2 IS NULL OR e.created_at > c.created_at \
                   OR (e.created_at = c.created_at AND e.seq > c.seq)) \
                 ORDER BY e.created_at, e.seq LIMIT $3"
            ))
            .bind(merchant)
            .bind(after.map(AsRef::<str>::as_ref))
            .bind(limit)
            .bind(DeliveryStatus::Pending.as_str())
            .fetch_all(pool)
            .await?
        });
        let events = rows.into_iter().map(EventRow::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok(events.into_iter().filter(|e| kinds.is_empty() || kinds.contains(&e.kind)).collect())
    }

    /// Asks every listener of `merchant` (every key that has listened, and is not revoked) to
    /// forward `event` again; returns how many.
    pub async fn queue_listen_redeliveries(&self, merchant: Uuid, event: &EventId) -> StoreResult<u64> {
        let now = self.clock.now();
        transaction!(self, |tx| {
            let queued = sqlx::query(
                "INSERT INTO listen_redeliveries (key_id, event_id, created_at) \
                 SELECT c.key_id, $2, $3 FROM listen_cursors c JOIN api_keys k ON k.id = c.key_id \
                 WHERE k.merchant_id = $1 AND k.revoked_at IS NULL ON CONFLICT (key_id, event_id) DO NOTHING",
            )
            .bind(merchant)
            .bind(event.as_ref())
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            Ok(queued)
        })
    }

    /// The events redeliveries asked this key's listener to forward again, oldest first.
    pub async fn listen_redeliveries(&self, key_id: &str, merchant: Uuid) -> StoreResult<Vec<EventRow>> {
        let rows: Vec<RawEvent> = read!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                event_columns!("$3"),
                " FROM listen_redeliveries r JOIN events e ON e.id = r.event_id \
                 WHERE r.key_id = $1 AND e.merchant_id = $2 ORDER BY r.created_at, e.seq LIMIT 20"
            ))
            .bind(key_id)
            .bind(merchant)
            .bind(DeliveryStatus::Pending.as_str())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(EventRow::try_from).collect()
    }

    /// Notes that the key's listener forwarded `event`: a redelivery of it is done, or else the
    /// cursor moves to it.
    pub async fn advance_listen_cursor(&self, key_id: &str, event: &EventId) -> StoreResult<()> {
        let now = self.clock.now();
        transaction!(self, |tx| {
            let redelivered = sqlx::query("DELETE FROM listen_redeliveries WHERE key_id = $1 AND event_id = $2")
                .bind(key_id)
                .bind(event.as_ref())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if redelivered > 0 {
                return Ok(());
            }
            sqlx::query(
                "INSERT INTO listen_cursors (key_id, event_id, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key_id) DO UPDATE SET event_id = $2, updated_at = $3",
            )
            .bind(key_id)
            .bind(event.as_ref())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            Ok(())
        })
    }
}
