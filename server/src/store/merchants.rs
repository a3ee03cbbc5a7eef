//! Merchants: the accounts payments belong to. Creating one makes the caller its owner.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Page, Resource, Store, StoreError, StoreResult, cursor, read, transaction, write};
use crate::domain::{HttpUrl, Name, Role, WebhookSecret};

#[derive(Clone, sqlx::FromRow)]
pub struct MerchantRow {
    pub id: Uuid,
    pub name: String,
    pub webhook_url: Option<String>,
    pub webhook_secret: String,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for MerchantRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MerchantRow").field("id", &self.id).field("name", &self.name).finish_non_exhaustive()
    }
}

/// A PATCH: `None` leaves a field as it is; `webhook_url: Some(None)` clears the URL.
#[derive(Debug, Default)]
pub struct MerchantUpdate {
    pub name: Option<Name>,
    pub webhook_url: Option<Option<HttpUrl>>,
}

impl Store {
    /// Inserts the merchant and its first member, the owner, in one transaction.
    pub async fn create_merchant(
        &self,
        owner: Uuid,
        name: &Name,
        webhook_url: Option<&HttpUrl>,
        secret: &WebhookSecret,
    ) -> StoreResult<MerchantRow> {
        let now = self.clock.now();
        let id = Uuid::new_v4();
        transaction!(self, |tx| {
            let row: MerchantRow = sqlx::query_as(
                "INSERT INTO merchants (id, name, webhook_url, webhook_secret, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5)
                 RETURNING id, name, webhook_url, webhook_secret, created_at",
            )
            .bind(id)
            .bind(name.as_ref())
            .bind(webhook_url.map(AsRef::as_ref))
            .bind(secret.expose())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO members (merchant_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(owner)
                .bind(Role::Owner.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            Ok(row)
        })
    }

    /// The merchants `user` is a member of, newest first.
    pub async fn list_merchants_for_user(&self, user: Uuid, page: Page<Uuid>) -> StoreResult<(Vec<MerchantRow>, bool)> {
        let (after_at, after_id) = cursor!(
            self,
            "SELECT m.created_at, m.id FROM merchants m JOIN members mem ON mem.merchant_id = m.id AND mem.user_id = $1 WHERE m.id = $2",
            user,
            page.starting_after,
            Uuid
        );
        let rows: Vec<MerchantRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.id, m.name, m.webhook_url, m.webhook_secret, m.created_at FROM merchants m
                 JOIN members mem ON mem.merchant_id = m.id AND mem.user_id = $1
                 WHERE $2 IS NULL OR m.created_at < $2 OR (m.created_at = $2 AND m.id < $3)
                 ORDER BY m.created_at DESC, m.id DESC LIMIT $4",
            )
            .bind(user)
            .bind(after_at)
            .bind(after_id)
            .bind(i64::from(page.limit) + 1)
            .fetch_all(pool)
            .await?
        });
        Ok(super::split_page(rows, page.limit))
    }

    pub async fn get_merchant(&self, id: Uuid) -> StoreResult<MerchantRow> {
        read!(self, |pool| {
            sqlx::query_as("SELECT id, name, webhook_url, webhook_secret, created_at FROM merchants WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound(Resource::Merchant))
        })
    }

    pub async fn update_merchant(&self, id: Uuid, update: &MerchantUpdate) -> StoreResult<MerchantRow> {
        let set_url = update.webhook_url.is_some();
        let url = update.webhook_url.as_ref().and_then(|u| u.as_ref()).map(AsRef::as_ref);
        write!(self, |pool| {
            sqlx::query_as(
                "UPDATE merchants SET name = COALESCE($2, name),
                    webhook_url = CASE WHEN $3 THEN $4 ELSE webhook_url END, updated_at = $5
                 WHERE id = $1 RETURNING id, name, webhook_url, webhook_secret, created_at",
            )
            .bind(id)
            .bind(update.name.as_ref().map(AsRef::as_ref))
            .bind(set_url)
            .bind(url)
            .bind(self.clock.now())
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound(Resource::Merchant))
        })
    }

    /// Replaces the webhook signing secret; the old one stops verifying at once.
    pub async fn roll_webhook_secret(&self, id: Uuid, secret: &WebhookSecret) -> StoreResult<()> {
        let done = write!(self, |pool| {
            sqlx::query("UPDATE merchants SET webhook_secret = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(secret.expose())
                .bind(self.clock.now())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if done == 1 { Ok(()) } else { Err(StoreError::NotFound(Resource::Merchant)) }
    }
}
