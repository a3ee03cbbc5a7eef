//! Rate limit counters: hits per bucket in fixed one-minute windows. On PostgreSQL a row per
//! bucket, so every replica counts the same hits; on SQLite, whose database belongs to one
//! process, a map in memory (a write per request would queue behind every payment).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::{Db, Store, StoreResult};

/// SQLite's counters: bucket → (window start, hits).
#[derive(Default)]
pub struct LocalCounters(Mutex<HashMap<String, (DateTime<Utc>, i64)>>);

/// Past this many buckets, those of earlier windows are forgotten.
const LOCAL_BUCKETS: usize = 10_000;

impl LocalCounters {
    fn hit(&self, bucket: &str, window: DateTime<Utc>) -> i64 {
        let Ok(mut map) = self.0.lock() else { return 0 };
        if map.len() >= LOCAL_BUCKETS {
            map.retain(|_, (start, _)| *start >= window);
        }
        let entry = map.entry(bucket.to_owned()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 += 1;
        entry.1
    }
}

impl Store {
    /// Counts one hit on `bucket` in the window starting at `window`, and returns the window's
    /// hits so far, this one included. One statement: replicas never lose a hit to a race.
    pub async fn count_hit(&self, bucket: &str, window: DateTime<Utc>) -> StoreResult<i64> {
        match &self.db {
            Db::Sqlite { .. } => Ok(self.counters.hit(bucket, window)),
            Db::Postgres(pool) => Ok(sqlx::query_scalar(
                "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
                 ON CONFLICT (bucket) DO UPDATE SET \
                   hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END, \
                   window_start = excluded.window_start \
                 RETURNING hits",
            )
            .bind(bucket)
            .bind(window)
            .fetch_one(pool)
            .await?),
        }
    }

    /// Forgets the counters of windows that ended before `before`.
    pub async fn delete_old_rate_limits(&self, before: DateTime<Utc>) -> StoreResult<()> {
        if let Db::Postgres(pool) = &self.db {
            sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(before).execute(pool).await?;
        }
        Ok(())
    }
}
