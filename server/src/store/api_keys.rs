//! API keys: secret `sk_test_…` keys a merchant's servers authenticate with. Only their SHA-256
//! is stored; revoked keys stay (for the audit trail) but never authenticate again.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::{Page, Resource, Store, StoreError, StoreResult, cursor, read, write};
use crate::domain::{ApiKeyId, ApiKeySecret, Name};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Who a valid API key speaks for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuthenticatedKey {
    pub id: String,
    pub merchant_id: Uuid,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// `last_used_at` is display information; writing it on every request would turn every read
/// into a write, so it is refreshed at most once a minute.
const LAST_USED_RESOLUTION: TimeDelta = TimeDelta::minutes(1);

impl Store {
    pub async fn insert_api_key(
        &self,
        merchant: Uuid,
        created_by: Uuid,
        name: &Name,
        secret: &ApiKeySecret,
    ) -> StoreResult<ApiKeyRow> {
        Ok(write!(self, |pool| {
            sqlx::query_as(
                "INSERT INTO api_keys (id, merchant_id, name, secret_hash, prefix, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 RETURNING id, name, prefix, created_at, last_used_at",
            )
            .bind(ApiKeyId::generate().as_ref())
            .bind(merchant)
            .bind(name.as_ref())
            .bind(secret.hash())
            .bind(secret.display_prefix())
            .bind(created_by)
            .bind(self.clock.now())
            .fetch_one(pool)
            .await?
        }))
    }

    /// The merchant's keys that are not revoked, newest first.
    pub async fn list_api_keys(&self, merchant: Uuid, page: Page<ApiKeyId>) -> StoreResult<(Vec<ApiKeyRow>, bool)> {
        // A key revoked since the previous page still marks the place.
        let (after_at, after_id) = cursor!(
            self,
            "SELECT created_at, id FROM api_keys WHERE merchant_id = $1 AND id = $2",
            merchant,
            page.starting_after.as_ref().map(AsRef::<str>::as_ref),
            String
        );
        let rows: Vec<ApiKeyRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, name, prefix, created_at, last_used_at FROM api_keys
                 WHERE merchant_id = $1 AND revoked_at IS NULL
                   AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND id < $3))
                 ORDER BY created_at DESC, id DESC LIMIT $4",
            )
            .bind(merchant)
            .bind(after_at)
            .bind(after_id)
            .bind(i64::from(page.limit) + 1)
            .fetch_all(pool)
            .await?
        });
        Ok(super::split_page(rows, page.limit))
    }

    /// Revokes a key of `merchant`; from the next request on it authenticates nothing.
    /// `NotFound` for a key of another merchant, or one already revoked.
    pub async fn revoke_api_key(&self, merchant: Uuid, id: &ApiKeyId) -> StoreResult<()> {
        // The cache knows keys by the hash of their secret: find it, to forget just that one.
        let hash: Option<String> = read!(self, |pool| {
            sqlx::query_scalar("SELECT secret_hash FROM api_keys WHERE id = $1 AND merchant_id = $2")
                .bind(id.as_ref())
                .bind(merchant)
                .fetch_optional(pool)
                .await?
        });
        let Some(hash) = hash else { return Err(StoreError::NotFound(Resource::ApiKey)) };
        let _changing = self.changing_api_key(&hash);
        let done = write!(self, |pool| {
            sqlx::query("UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND merchant_id = $2 AND revoked_at IS NULL")
                .bind(id.as_ref())
                .bind(merchant)
                .bind(self.clock.now())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if done == 1 { Ok(()) } else { Err(StoreError::NotFound(Resource::ApiKey)) }
    }

    /// Looks a presented key up by its hash; `None` when unknown or revoked.
    pub async fn authenticate_api_key(&self, secret: &ApiKeySecret) -> StoreResult<Option<AuthenticatedKey>> {
        let hash = secret.hash();
        let cached = self.cache.as_ref().map(|c| (c.keys.get(&hash), c.keys.epoch()));
        if let Some((Some(key), _)) = &cached
            && key.last_used_at.is_some_and(|at| self.clock.now() - at < LAST_USED_RESOLUTION)
        {
            return Ok(Some((**key).clone()));
        }
        let key: Option<AuthenticatedKey> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, merchant_id, last_used_at FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL",
            )
            .bind(&hash)
            .fetch_optional(pool)
            .await?
        });
        if let Some(key) = &key {
            let now = self.clock.now();
            if key.last_used_at.is_none_or(|at| now - at >= LAST_USED_RESOLUTION) {
                let _changing = self.changing_api_key(&hash);
                write!(self, |pool| {
                    sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
                        .bind(&key.id)
                        .bind(now)
                        .execute(pool)
                        .await?
                        .rows_affected()
                });
            } else if let (Some(cache), Some((_, epoch))) = (&self.cache, cached) {
                // Cached until `last_used_at` is due for a refresh (the guard above then clears it).
                cache.keys.fill(hash, key.clone(), epoch);
            }
        }
        Ok(key)
    }
}
