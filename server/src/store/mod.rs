//! The store: every SQL statement Kassa runs, one async fn per statement, named after the action.
//!
//! One implementation serves both backends. Each fn is written once, with `$N` placeholders that
//! SQLite and PostgreSQL both accept, and the [`read!`], [`write!`] and [`transaction!`] macros
//! run that same body against whichever pool is configured (sqlx's `Any` driver cannot carry
//! UUIDs or timestamps portably; NOTES.md). Invariant: nothing here builds an HTTP status.

mod api_keys;
mod cache;
mod charges;
mod clocks;
mod deliveries;
mod events;
mod idempotency;
mod listen;
mod members;
mod merchants;
mod payment_intents;
mod rate_limits;
mod reports;
mod request_logs;
mod settings;
mod snapshot;
mod sqlite;
mod test_helpers;
mod users;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::domain::Clock;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use api_keys::{ApiKeyRow, AuthenticatedKey};
pub use clocks::{ClockState, DueKind, DueObject, DueWork, Pending};
pub use deliveries::{AttemptRow, DueDelivery, NewAttempt, Settle};
pub use events::{EventFilter, EventObject, EventRow};
pub use idempotency::{Answer, Claim, KeyHold, SECRET_PLACEHOLDER, SaveAnswer};
pub use members::MemberRow;
pub use merchants::{MerchantRow, MerchantUpdate};
pub use payment_intents::{NewPaymentIntent, Transitioned};
pub use reports::DayActivity;
pub use request_logs::{REQUEST_LOG_RETENTION, RequestLogFilter, RequestLogRow};
pub use test_helpers::Reset;
pub use users::UserRow;

/// What a lookup did not find. `crate::error` names it in the 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    User,
    /// No registered user has the email given (adding a member).
    UserWithEmail,
    Merchant,
    Member,
    ApiKey,
    PaymentIntent,
    Event,
    Charge,
}

/// Which unique rule refused a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    /// A user with this email exists.
    Email,
    /// The user is a member of the merchant already.
    Member,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such {0:?}")]
    NotFound(Resource),
    /// `starting_after` names no row the caller can see.
    #[error("unknown pagination cursor")]
    UnknownCursor,
    #[error("duplicate {0:?}")]
    Duplicate(Unique),
    /// A group commit failed: the change is not durable (and was rolled back).
    #[error("the commit failed")]
    CommitFailed,
    /// A domain rule refused the change, checked inside its transaction.
    #[error(transparent)]
    Invalid(#[from] crate::domain::DomainError),
    /// The payment intent's rules refused a transition, as the intent stood inside the
    /// transaction.
    #[error("transition refused: {0:?}")]
    Refused(crate::domain::Refusal),
    /// The idempotency key this request held was taken over by a retry after its lease ran
    /// out: the change must not commit.
    #[error("the idempotency key was taken over")]
    KeyTakenOver,
    /// The merchant's clock is advancing: its other writes wait for the advance to end.
    #[error("the merchant's clock is advancing")]
    ClockAdvancing,
    /// A worker recorded an attempt on a delivery it no longer holds (its lease ran out).
    #[error("the delivery's lease was lost")]
    LeaseLost,
    /// Removing this member would leave the merchant without an owner.
    #[error("the last owner cannot be removed")]
    LastOwner,
    /// Another process holds this SQLite database.
    #[error(
        "{0} is in use by another `kassa serve`: a SQLite database belongs to one process; \
         use a postgres:// database to run replicas"
    )]
    Locked(String),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Db(sqlx::Error),
    #[error("migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        Self::Db(err)
    }
}

/// For a statement that knows which unique rule it can break: a unique violation is
/// `Duplicate(unique)`, anything else a database error.
fn duplicate_as(unique: Unique) -> impl Fn(sqlx::Error) -> StoreError {
    move |err| match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(unique),
        _ => StoreError::Db(err),
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Where a list resumes: `starting_after` resolved to the sort key of that row.
/// Lists are newest first, ordered by `(created_at, id)` descending.
#[derive(Debug, Clone)]
pub struct Page<C> {
    pub limit: u32,
    pub starting_after: Option<C>,
}

#[derive(Clone)]
pub struct Store {
    db: Db,
    /// Embedded (SQLite) mode only: see `cache.rs`.
    cache: Option<Arc<cache::Caches>>,
    /// Where every timestamp and deadline check gets "now".
    clock: Clock,
    /// Rung after a change that may have queued a delivery: the outbox worker wakes at once.
    outbox: Arc<tokio::sync::Notify>,
    /// Embedded (SQLite) mode's rate limit counters: see `rate_limits.rs`.
    counters: Arc<rate_limits::LocalCounters>,
}

#[derive(Clone)]
enum Db {
    /// SQLite has one writer at a time: its one write connection queues writers inside the
    /// process instead of letting them race for the lock (SQLITE_BUSY), and commits the
    /// writers queued together as one transaction ([`sqlite::GroupCommit`]); reads proceed in
    /// parallel under WAL on their own pool.
    Sqlite {
        read: SqlitePool,
        write: sqlite::GroupCommit,
        /// The exclusive lock on the database file, held for the life of the store.
        _owner: Arc<std::fs::File>,
    },
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to a pool fit for reads.
macro_rules! read {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.db {
            $crate::store::Db::Sqlite { read: $pool, .. } => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body`, a single-statement write, with `$pool` bound to something to execute it on:
/// the PostgreSQL pool, or SQLite's writer connection in its turn of a group commit.
macro_rules! write {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.db {
            $crate::store::Db::Sqlite { write, .. } => {
                let mut batch = write.enter().await?;
                let out = async {
                    let $pool = batch.conn()?;
                    Ok::<_, $crate::store::StoreError>($body)
                }
                .await;
                batch.finish(out.is_ok()).await?;
                out?
            }
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` (a `StoreResult`, in which `?` and `return` end the body, not the caller)
/// inside one transaction bound to `$tx`, kept only if the body yields `Ok`. On SQLite the
/// transaction is this writer's savepoint in a group commit (`BEGIN IMMEDIATE` underneath), so
/// a read-then-write body never fails at lock upgrade; the call returns once it is durable.
macro_rules! transaction {
    ($store:expr, |$tx:ident| $body:expr) => {
        match &$store.db {
            $crate::store::Db::Sqlite { write, .. } => {
                let mut batch = write.enter().await?;
                let out: StoreResult<_> = async {
                    let $tx = batch.conn()?;
                    $body
                }
                .await;
                batch.finish(out.is_ok()).await?;
                out
            }
            $crate::store::Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out: StoreResult<_> = async { $body }.await;
                if out.is_ok() {
                    $tx.commit().await?;
                }
                out
            }
        }
    };
}
/// Resolves a list's `starting_after` to the `(created_at, id)` sort key it resumes after,
/// with `$sql` selecting `created_at, id` of the cursor row by `$1 = $scope`, `$2 = id`;
/// `UnknownCursor` when the caller cannot see such a row. Yields `(after_at, after_id)`.
macro_rules! cursor {
    ($store:expr, $sql:literal, $scope:expr, $after:expr, $id:ty) => {{
        let cursor: Option<(chrono::DateTime<chrono::Utc>, $id)> = match $after {
            None => None,
            Some(after) => Some(read!($store, |pool| {
                sqlx::query_as($sql)
                    .bind($scope)
                    .bind(after)
                    .fetch_optional(pool)
                    .await?
                    .ok_or($crate::store::StoreError::UnknownCursor)?
            })),
        };
        cursor.unzip()
    }};
}
pub(crate) use {cursor, read, transaction, write};

impl Store {
    /// Opens (creating if needed) the database at `url` and runs the migrations of its backend.
    /// A SQLite file is locked for this process first: its caches and group commit assume no
    /// other process writes to it.
    pub async fn connect(url: &str, clock: Clock) -> StoreResult<Self> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool =
                PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Db::Postgres(pool)
        } else {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a payment acknowledged to the client survives power loss.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let owner = sqlite::lock_file(options.get_filename())?;
            let write = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
            sqlx::migrate!("./migrations/sqlite").run(&write).await?;
            // The group commit keeps the one write connection for the life of the store.
            let write = sqlite::GroupCommit::new(write.acquire().await?);
            let read = SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(true)).await?;
            Db::Sqlite { read, write, _owner: Arc::new(owner) }
        };
        let cache = matches!(db, Db::Sqlite { .. }).then(cache::Caches::new);
        let store =
            Self { db, cache, clock, outbox: Arc::new(tokio::sync::Notify::new()), counters: Default::default() };
        if matches!(store.db, Db::Sqlite { .. }) {
            // This process owns the file: a claim left unanswered was held by a process that
            // died, and nothing it did committed without its answer (see `idempotency.rs`).
            store.release_abandoned_idempotency_keys().await?;
            store.release_abandoned_deliveries().await?;
        }
        Ok(store)
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Resolves when a change may have queued a delivery (or at once, if one did since the
    /// last call).
    pub async fn outbox_changed(&self) {
        self.outbox.notified().await;
    }

    /// `/readyz`: the database answers a trivial query.
    pub async fn ping(&self) -> StoreResult<()> {
        read!(self, |pool| sqlx::query("SELECT 1").execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Open and idle connections of each pool, for `/metrics`.
    pub fn pool_stats(&self) -> Vec<(&'static str, u32, u32)> {
        fn stats<D: sqlx::Database>(pool: &sqlx::Pool<D>) -> (u32, u32) {
            (pool.size(), u32::try_from(pool.num_idle()).unwrap_or(u32::MAX))
        }
        match &self.db {
            Db::Sqlite { read, .. } => {
                let (open, idle) = stats(read);
                // The writer holds its one connection for the life of the store.
                vec![("sqlite_read", open, idle), ("sqlite_write", 1, 0)]
            }
            Db::Postgres(pool) => {
                let (open, idle) = stats(pool);
                vec![("postgres", open, idle)]
            }
        }
    }

    /// Forgets every cached row: for tests that change the database behind the store's back.
    pub fn forget_cached_rows(&self) {
        if let Some(cache) = &self.cache {
            cache.intents.clear();
            cache.keys.clear();
            cache.clocks.clear();
        }
    }

    /// Invalidates the cached payment intent `id` now, when the guard drops, and when the
    /// batch holding the change ends (the guard may drop first if its request is cancelled).
    fn changing_intent(&self, id: &str) -> cache::Changing {
        let id = id.to_owned();
        self.changing(move |caches| caches.intents.invalidate(&id))
    }

    /// Invalidates the cached authentication of the API key whose hash is `hash`, like
    /// `changing_intent`.
    fn changing_api_key(&self, hash: &str) -> cache::Changing {
        let hash = hash.to_owned();
        self.changing(move |caches| caches.keys.invalidate(&hash))
    }

    /// Invalidates the cached clock of `merchant`, like `changing_intent`, and counts the change
    /// as under way until it has settled (`Store::settled_clock`).
    fn changing_clock(&self, merchant: uuid::Uuid) -> cache::Changing {
        let Some(caches) = self.cache.clone() else { return cache::Changing::none() };
        caches.clocks_changing.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.changing(move |caches| caches.clocks.invalidate(&merchant)).then(move || {
            caches.clocks_changing.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        })
    }

    fn changing(&self, invalidate: impl Fn(&cache::Caches) + Send + Sync + 'static) -> cache::Changing {
        let Some(caches) = self.cache.clone() else { return cache::Changing::none() };
        let after_commit = match &self.db {
            Db::Sqlite { write, .. } => Some(write.clone()),
            Db::Postgres(_) => None,
        };
        cache::Changing::new(Arc::new(move || invalidate(&caches)), after_commit)
    }

    pub fn backend(&self) -> &'static str {
        match self.db {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { read, write, .. } => {
                write.close().await;
                read.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// Trims a page fetched with `limit + 1` rows to `limit`, reporting whether more follow.
fn split_page<T>(mut rows: Vec<T>, limit: u32) -> (Vec<T>, bool) {
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    (rows, has_more)
}
