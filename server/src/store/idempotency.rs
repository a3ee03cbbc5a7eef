//! Idempotency keys: claimed before a request runs, its response saved after.

use chrono::TimeDelta;

use super::{Store, StoreResult, transaction, write};

/// How long a key's first response is replayed.
pub const RETENTION: TimeDelta = TimeDelta::hours(24);

pub enum Claim {
    /// The key is new (or its previous use aged out): run the request.
    Proceed,
    /// The key was used for another request.
    Reused,
    /// The key's first request has not finished.
    InUse,
    /// The key's first request finished: answer this.
    Replay { status: u16, content_type: Option<String>, body: Vec<u8> },
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    fingerprint: String,
    status_code: Option<i64>,
    content_type: Option<String>,
    body: Option<Vec<u8>>,
}

impl Store {
    /// Claims `key` for a request with `fingerprint`. The insert decides between concurrent
    /// requests with one key: exactly one of them proceeds.
    pub async fn claim_idempotency_key(&self, credential: &str, key: &str, fingerprint: &str) -> StoreResult<Claim> {
        let now = super::now();
        let claimed = transaction!(self, |tx| {
            // A use older than the retention no longer counts.
            sqlx::query("DELETE FROM idempotency_keys WHERE credential = $1 AND key = $2 AND created_at <= $3")
                .bind(credential)
                .bind(key)
                .bind(now - RETENTION)
                .execute(&mut *tx)
                .await?;
            let inserted = sqlx::query(
                "INSERT INTO idempotency_keys (credential, key, fingerprint, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (credential, key) DO NOTHING",
            )
            .bind(credential)
            .bind(key)
            .bind(fingerprint)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            Ok(inserted.rows_affected())
        })?;
        if claimed == 1 {
            return Ok(Claim::Proceed);
        }
        // Read on the writer, where the claim was just decided.
        let row: Option<KeyRow> = write!(self, |pool| {
            sqlx::query_as(
                "SELECT fingerprint, status_code, content_type, body FROM idempotency_keys \
                 WHERE credential = $1 AND key = $2",
            )
            .bind(credential)
            .bind(key)
            .fetch_optional(pool)
            .await?
        });
        Ok(match row {
            // Released between our insert and this read: the caller may retry at once.
            None => Claim::InUse,
            Some(row) if row.fingerprint != fingerprint => Claim::Reused,
            Some(KeyRow { status_code: Some(status), content_type, body, .. }) => Claim::Replay {
                status: u16::try_from(status).unwrap_or(500),
                content_type,
                body: body.unwrap_or_default(),
            },
            Some(_) => Claim::InUse,
        })
    }

    pub async fn save_idempotent_response(
        &self,
        credential: &str,
        key: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> StoreResult<()> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE idempotency_keys SET status_code = $3, content_type = $4, body = $5 \
                 WHERE credential = $1 AND key = $2",
            )
            .bind(credential)
            .bind(key)
            .bind(i64::from(status))
            .bind(content_type)
            .bind(body)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// Forgets a claim whose request failed on Kassa's side, so a retry may run.
    pub async fn release_idempotency_key(&self, credential: &str, key: &str) -> StoreResult<()> {
        write!(self, |pool| {
            sqlx::query("DELETE FROM idempotency_keys WHERE credential = $1 AND key = $2")
                .bind(credential)
                .bind(key)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }

    /// Deletes keys past their retention; returns how many.
    pub async fn delete_old_idempotency_keys(&self) -> StoreResult<u64> {
        Ok(write!(self, |pool| {
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at <= $1")
                .bind(super::now() - RETENTION)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
