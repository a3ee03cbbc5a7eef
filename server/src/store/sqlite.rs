//! Group commit for SQLite: concurrent write transactions share one database transaction and
//! so one fsync.
//!
//! With `synchronous=FULL` every commit waits for the disk, so one transaction per request caps
//! durable writes at one fsync each (NOTES.md: a few thousand commits a second). Here the one
//! writer connection keeps a transaction open while writers take turns: each runs its statements
//! inside its own `SAVEPOINT` (released on success, rolled back on failure, so one writer's
//! failure never leaks into another's), and a committer task commits them all at once. Nobody
//! is answered before the commit that holds their writes succeeded, so an acknowledged write is
//! on disk. Writers still run one at a time, so conditional updates stay exact.
//!
//! Cancellation (a client hanging up, a timeout) must never wedge it: each batch's committer is
//! its own task, started when the batch opens, so no request can keep a batch from committing;
//! a writer abandoned mid-turn leaves its savepoint to be rolled back before the next turn; and
//! any step of the protocol that fails aborts the whole batch (every writer in it gets an
//! error), never commits half of a writer's work.

use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::Sqlite;
use sqlx::{AssertSqlSafe, SqliteConnection};
use tokio::sync::{Mutex, MutexGuard, oneshot, watch};

use super::{StoreError, StoreResult};

/// Takes an exclusive lock on the database file for the life of the returned handle, so a
/// second process on the same file fails at once instead of writing behind this one's caches.
/// It is a `flock`: independent of SQLite's own `fcntl` locks, and released by the kernel when
/// the process dies, `kill -9` included (NOTES.md).
pub fn lock_file(path: &std::path::Path) -> StoreResult<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|err| StoreError::Io(format!("opening {}: {err}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked(path.display().to_string())),
        Err(std::fs::TryLockError::Error(err)) => Err(StoreError::Io(format!("locking {}: {err}", path.display()))),
    }
}

/// Runs after a batch ends (committed or not): cache invalidations of the rows it changed.
pub type AfterCommit = Box<dyn FnOnce() + Send + Sync>;

#[derive(Clone)]
pub struct GroupCommit(Arc<Shared>);

struct Shared {
    writer: Mutex<Writer>,
    after_commit: std::sync::Mutex<Vec<AfterCommit>>,
    /// The batches' committers, so that closing the store waits for the last commit.
    committers: tokio_util::task::TaskTracker,
}

struct Writer {
    conn: PoolConnection<Sqlite>,
    /// The open batch: where its outcome (committed or not) will be told.
    batch: Option<watch::Sender<Option<bool>>>,
    /// The open batch's `BEGIN` succeeded. (If its first writer was cancelled during `BEGIN`,
    /// the batch is aborted: a `SAVEPOINT` outside a transaction would start, and its release
    /// would commit, a transaction of its own.)
    began: bool,
    next_savepoint: u64,
    /// Writers that took a turn in the open batch.
    writers: u64,
    /// A savepoint whose writer is done with it, not yet settled on the connection.
    pending: Option<Pending>,
}

/// What is left to do with a finished writer's savepoint.
enum Pending {
    /// Its writer succeeded: released by the next turn's `SAVEPOINT` statement, or by the
    /// batch's `COMMIT` (which releases every savepoint), so a writer costs one round trip to
    /// the connection's thread fewer than releasing it on its own (each is a thread wake-up,
    /// and writers take these turns one at a time). If the next writer is abandoned mid-turn,
    /// its `Rollback` takes this place: the savepoint then stays open, outside the later ones,
    /// until the `COMMIT` keeps its work.
    Release(String),
    /// Its writer was abandoned mid-turn: rolled back before the next turn.
    Rollback(String),
}

/// One writer's turn on the connection, inside the open batch and its own savepoint.
pub struct Batch<'a> {
    guard: Option<MutexGuard<'a, Writer>>,
    group: &'a GroupCommit,
    /// Set while this writer's savepoint may exist.
    savepoint: Option<String>,
    outcome: Option<watch::Receiver<Option<bool>>>,
    /// Dropped when the batch's first writer is done: its committer then takes its turn.
    first_done: Option<oneshot::Sender<()>>,
}

impl GroupCommit {
    pub fn new(conn: PoolConnection<Sqlite>) -> Self {
        let writer = Writer { conn, batch: None, began: false, next_savepoint: 0, writers: 0, pending: None };
        Self(Arc::new(Shared {
            writer: Mutex::new(writer),
            after_commit: std::sync::Mutex::new(Vec::new()),
            committers: tokio_util::task::TaskTracker::new(),
        }))
    }

    /// Waits for the open batch's committer, if any: every acknowledged write is then on disk.
    pub async fn close(&self) {
        self.0.committers.close();
        self.0.committers.wait().await;
    }

    /// Queues `f` to run when the open batch ends (at once if it already has).
    pub fn after_commit(&self, f: AfterCommit) {
        if let Ok(mut hooks) = self.0.after_commit.lock() {
            hooks.push(f);
        }
    }

    /// Waits for the writer connection (tokio's mutex is fair: writers take turns in order).
    pub async fn enter(&self) -> StoreResult<Batch<'_>> {
        let guard = self.0.writer.lock().await;
        let mut batch = Batch { guard: Some(guard), group: self, savepoint: None, outcome: None, first_done: None };
        let Some(writer) = batch.guard.as_mut() else { unreachable!("just set") };
        if let Some(Pending::Rollback(savepoint)) = &writer.pending {
            let savepoint = savepoint.clone();
            writer.pending = None;
            if roll_back(&mut writer.conn, &savepoint).await.is_err() {
                self.abort(writer).await;
            }
        }
        if writer.batch.is_some() && !writer.began {
            self.abort(writer).await;
        }
        if writer.batch.is_none() {
            writer.batch = Some(watch::Sender::new(None));
            writer.began = false;
            writer.writers = 0;
            // The committer is started before anything can be cancelled, so the batch ends.
            let (first_done, done) = oneshot::channel::<()>();
            batch.first_done = Some(first_done);
            let group = self.clone();
            self.0.committers.spawn(async move {
                let _ = done.await;
                // Let the writers already queued take their turn in this batch.
                tokio::task::yield_now().await;
                group.commit().await;
            });
            if let Err(err) = sqlx::query("BEGIN IMMEDIATE").execute(&mut *writer.conn).await {
                self.abort(writer).await;
                return Err(err.into());
            }
            writer.began = true;
        }
        let name = format!("w{}", writer.next_savepoint);
        writer.next_savepoint += 1;
        writer.writers += 1;
        batch.outcome = writer.batch.as_ref().map(watch::Sender::subscribe);
        batch.savepoint = Some(name.clone());
        let sql = match writer.pending.take() {
            Some(Pending::Release(done)) => format!("RELEASE SAVEPOINT {done}; SAVEPOINT {name}"),
            _ => format!("SAVEPOINT {name}"),
        };
        // Not a prepared statement: each name is new, and would only churn the statement cache.
        if let Err(err) = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *writer.conn).await {
            batch.savepoint = None;
            self.abort(writer).await;
            return Err(err.into());
        }
        Ok(batch)
    }

    /// Commits the open batch, if any, and tells its writers how it went.
    async fn commit(&self) {
        let mut writer = self.0.writer.lock().await;
        if let Some(Pending::Rollback(savepoint)) = writer.pending.take()
            && roll_back(&mut writer.conn, &savepoint).await.is_err()
        {
            self.abort(&mut writer).await;
            return;
        }
        let Some(outcome) = writer.batch.take() else { return };
        let committed = match sqlx::query("COMMIT").execute(&mut *writer.conn).await {
            Ok(_) => {
                crate::metrics::group_commit(writer.writers);
                true
            }
            Err(err) => {
                tracing::error!(error = %err, "group commit failed; its writers get an error");
                if let Err(err) = sqlx::query("ROLLBACK").execute(&mut *writer.conn).await {
                    tracing::error!(error = %err, "rolling back a failed group commit failed");
                }
                false
            }
        };
        self.ended(outcome, committed);
    }

    /// Gives up the open batch: rolls it all back and fails every writer in it.
    async fn abort(&self, writer: &mut Writer) {
        if let Err(err) = sqlx::query("ROLLBACK").execute(&mut *writer.conn).await {
            tracing::warn!(error = %err, "rolling back an aborted group commit");
        }
        writer.pending = None;
        if let Some(outcome) = writer.batch.take() {
            self.ended(outcome, false);
        }
    }

    /// Runs the batch's after-commit hooks, then tells its writers (the writer lock is still
    /// held, so no later batch can report first).
    fn ended(&self, outcome: watch::Sender<Option<bool>>, committed: bool) {
        let hooks = self.0.after_commit.lock().map(|mut hooks| std::mem::take(&mut *hooks)).unwrap_or_default();
        for hook in hooks {
            hook();
        }
        outcome.send_replace(Some(committed));
    }
}

/// Undoes a writer's statements and ends its savepoint.
async fn roll_back(conn: &mut SqliteConnection, savepoint: &str) -> Result<(), sqlx::Error> {
    let sql = format!("ROLLBACK TO SAVEPOINT {savepoint}; RELEASE SAVEPOINT {savepoint}");
    sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *conn).await?;
    Ok(())
}

impl Batch<'_> {
    pub fn conn(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        match self.guard.as_mut() {
            Some(writer) => Ok(&mut writer.conn),
            None => Err(StoreError::Corrupt("a finished batch was used".into())),
        }
    }

    /// Keeps (`ok`) or undoes this writer's statements, then waits for the batch to commit:
    /// `Ok` only once they are durable.
    pub async fn finish(mut self, ok: bool) -> StoreResult<()> {
        let (Some(writer), Some(savepoint)) = (self.guard.as_mut(), self.savepoint.clone()) else {
            return Err(StoreError::Corrupt("a batch finished twice".into()));
        };
        if ok {
            writer.pending = Some(Pending::Release(savepoint));
        } else if roll_back(&mut writer.conn, &savepoint).await.is_err() {
            self.group.abort(writer).await;
        }
        self.savepoint = None;
        let outcome = self.outcome.take();
        self.guard = None;
        self.first_done = None;
        let Some(mut outcome) = outcome else { return Err(StoreError::Corrupt("a batch without an outcome".into())) };
        match outcome.wait_for(Option::is_some).await.map(|o| *o) {
            Ok(Some(true)) => Ok(()),
            _ => Err(StoreError::CommitFailed),
        }
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        // Abandoned mid-turn (its request was cancelled): its statements are undone before the
        // next turn. The committer still runs once `first_done` drops with the batch.
        if let (Some(writer), Some(savepoint)) = (self.guard.as_mut(), self.savepoint.take()) {
            writer.pending = Some(Pending::Rollback(savepoint));
        }
    }
}
