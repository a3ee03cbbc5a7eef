//! Server-wide settings kept in the database, so every replica sharing it agrees.

use super::{Store, StoreResult, read, write};

impl Store {
    /// Returns the stored value of `key`, first storing `candidate` if there is none. The insert
    /// is a no-op when a concurrent replica won the race, and the read then returns its value.
    pub async fn setting_or_init(&self, key: &str, candidate: &str) -> StoreResult<String> {
        write!(self, |pool| {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind(key)
                .bind(candidate)
                .execute(pool)
                .await?
                .rows_affected()
        });
        let value = read!(self, |pool| {
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_one(pool).await?
        });
        Ok(value)
    }
}
