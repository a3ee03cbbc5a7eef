//! Request logs: the merchant's API requests, written in batches by a background writer (so no
//! request waits for its own log entry), read newest first with filters, and kept 7 days.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::{Page, Store, StoreError, StoreResult, cursor, read, transaction, write};
use crate::domain::RequestId;

/// How long entries are kept.
pub const REQUEST_LOG_RETENTION: TimeDelta = TimeDelta::days(7);

/// One request, its bodies already redacted.
#[derive(Debug, Clone)]
pub struct RequestLogRow {
    pub id: RequestId,
    pub merchant_id: Uuid,
    pub method: String,
    pub path: String,
    pub status: i64,
    pub idempotency_key: Option<String>,
    pub duration_ms: i64,
    pub request_body: String,
    pub response_body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct RawLog {
    id: String,
    merchant_id: Uuid,
    method: String,
    path: String,
    status: i64,
    idempotency_key: Option<String>,
    duration_ms: i64,
    request_body: String,
    response_body: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<RawLog> for RequestLogRow {
    type Error = StoreError;
    fn try_from(raw: RawLog) -> StoreResult<Self> {
        Ok(Self {
            id: RequestId::parse(&raw.id).map_err(|_| StoreError::Corrupt(format!("request log id {:?}", raw.id)))?,
            merchant_id: raw.merchant_id,
            method: raw.method,
            path: raw.path,
            status: raw.status,
            idempotency_key: raw.idempotency_key,
            duration_ms: raw.duration_ms,
            request_body: raw.request_body,
            response_body: raw.response_body,
            created_at: raw.created_at,
        })
    }
}

/// Which entries a list shows.
#[derive(Debug, Default, Clone)]
pub struct RequestLogFilter {
    pub status: Option<i64>,
    pub method: Option<String>,
    /// Entries whose path starts with this.
    pub path: Option<String>,
    pub created_gte: Option<DateTime<Utc>>,
    pub created_lt: Option<DateTime<Utc>>,
}

impl Store {
    /// Writes a batch of entries in one transaction, many rows a statement: on SQLite each
    /// statement is a round trip to the database thread, and this writer keeps up with the API.
    pub async fn insert_request_logs(&self, entries: &[RequestLogRow]) -> StoreResult<()> {
        const COLUMNS: usize = 10;
        const ROWS_PER_STATEMENT: usize = 100;
        transaction!(self, |tx| {
            for chunk in entries.chunks(ROWS_PER_STATEMENT) {
                let rows: Vec<String> = (0..chunk.len())
                    .map(|row| {
                        let params: Vec<String> = (1..=COLUMNS).map(|c| format!("${}", row * COLUMNS + c)).collect();
                        format!("({})", params.join(", "))
                    })
                    .collect();
                // Built from numbers only: no value ever enters the SQL text.
                let sql = format!(
                    "INSERT INTO request_logs (id, merchant_id, method, path, status, idempotency_key, duration_ms, \
                     request_body, response_body, created_at) VALUES {} ON CONFLICT (id) DO NOTHING",
                    rows.join(", ")
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for entry in chunk {
                    query = query
                        .bind(entry.id.as_ref())
                        .bind(entry.merchant_id)
                        .bind(&entry.method)
                        .bind(&entry.path)
                        .bind(entry.status)
                        .bind(&entry.idempotency_key)
                        .bind(entry.duration_ms)
                        .bind(&entry.request_body)
                        .bind(&entry.response_body)
                        .bind(entry.created_at);
                }
                query.execute(&mut *tx).await?;
            }
            Ok(())
        })
    }

    pub async fn list_request_logs(
        &self,
        merchant: Uuid,
        filter: &RequestLogFilter,
        page: Page<RequestId>,
    ) -> StoreResult<(Vec<RequestLogRow>, bool)> {
        let (after_at, after_id) = cursor!(
            self,
            "SELECT created_at, id FROM request_logs WHERE merchant_id = $1 AND id = $2",
            merchant,
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            String
        );
        let rows: Vec<RawLog> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, merchant_id, method, path, status, idempotency_key, duration_ms, request_body, \
                 response_body, created_at FROM request_logs WHERE merchant_id = $1 \
                 AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND id < $3)) \
                 AND ($5 IS NULL OR status = $5) AND ($6 IS NULL OR method = $6) \
                 AND ($7 IS NULL OR substr(path, 1, length($7)) = $7) \
                 AND ($8 IS NULL OR created_at >= $8) AND ($9 IS NULL OR created_at < $9) \
                 ORDER BY created_at DESC, id DESC LIMIT $4",
            )
            .bind(merchant)
            .bind(after_at)
            .bind(after_id)
            .bind(i64::from(page.limit) + 1)
            .bind(filter.status)
            .bind(&filter.method)
            .bind(&filter.path)
            .bind(filter.created_gte)
            .bind(filter.created_lt)
            .fetch_all(pool)
            .await?
        });
        let logs = rows.into_iter().map(RequestLogRow::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok(super::split_page(logs, page.limit))
    }

    /// Deletes entries past their retention; returns how many.
    pub async fn delete_old_request_logs(&self) -> StoreResult<u64> {
        Ok(write!(self, |pool| {
            sqlx::query("DELETE FROM request_logs WHERE created_at <= $1")
                .bind(self.clock.now() - REQUEST_LOG_RETENTION)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
