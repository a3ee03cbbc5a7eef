//! Users: who logs in to the dashboard API.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Store, StoreResult, read, write};
use crate::domain::{Email, Name};

#[derive(Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow").field("id", &self.id).field("email", &self.email).finish_non_exhaustive()
    }
}

impl Store {
    /// `StoreError::Duplicate(Unique::Email)` when the email is taken (the unique index decides, so two
    /// concurrent registrations of one address cannot both win).
    pub async fn insert_user(&self, email: &Email, name: &Name, password_hash: &str) -> StoreResult<UserRow> {
        let row = write!(self, |pool| {
            sqlx::query_as(
                "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
                 RETURNING id, email, name, password_hash, created_at",
            )
            .bind(Uuid::new_v4())
            .bind(email.as_ref())
            .bind(name.as_ref())
            .bind(password_hash)
            .bind(self.clock.now())
            .fetch_one(pool)
            .await
            .map_err(super::duplicate_as(super::Unique::Email))?
        });
        Ok(row)
    }

    pub async fn find_user_by_email(&self, email: &Email) -> StoreResult<Option<UserRow>> {
        Ok(read!(self, |pool| {
            sqlx::query_as("SELECT id, email, name, password_hash, created_at FROM users WHERE email = $1")
                .bind(email.as_ref())
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Whether anyone has registered yet: a fresh sandbox says where to start.
    pub async fn has_users(&self) -> StoreResult<bool> {
        let found: Option<i32> =
            read!(self, |pool| sqlx::query_scalar("SELECT 1 FROM users LIMIT 1").fetch_optional(pool).await?);
        Ok(found.is_some())
    }

    pub async fn user_exists(&self, id: Uuid) -> StoreResult<bool> {
        let found: Option<i32> = read!(self, |pool| {
            sqlx::query_scalar("SELECT 1 FROM users WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        Ok(found.is_some())
    }

    pub async fn find_user(&self, id: Uuid) -> StoreResult<Option<UserRow>> {
        Ok(read!(self, |pool| {
            sqlx::query_as("SELECT id, email, name, password_hash, created_at FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        }))
    }
}
