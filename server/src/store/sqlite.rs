//! Group commit for SQLite: concurrent write transactions share one database transaction and
//! so one fsync.
//!
//! With `synchronous=FULL` every commit waits for the disk, so one transaction per request caps
//! durable writes at one fsync each (NOTES.md: ~77 µs an fdatasync, a few thousand commits a
//! second). Here the single writer connection keeps a transaction open while writers queue: each
//! runs its statements inside a `SAVEPOINT` (released on success, rolled back on failure, so one
//! writer's failure never leaks into another's), and the first writer of a batch (its leader),
//! after letting the queued writers take their turn, commits them all at once. Nobody answers
//! before the commit that holds its writes succeeded, so durability is what it was: an
//! acknowledged write is on disk. Writers still run one at a time, so conditional updates stay
//! exact: each sees every earlier writer's changes.

use std::sync::Arc;

use sqlx::SqliteConnection;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::Sqlite;
use tokio::sync::{Mutex, MutexGuard, watch};

use super::{StoreError, StoreResult};

#[derive(Clone)]
pub struct GroupCommit(Arc<Shared>);

struct Shared {
    writer: Mutex<Writer>,
    committed: watch::Sender<Committed>,
}

struct Writer {
    conn: PoolConnection<Sqlite>,
    /// A transaction is open, collecting the batch `epoch`.
    open: bool,
    epoch: u64,
    /// A batch abandoned mid-way (its future dropped) left its savepoint to roll back.
    rollback_pending: bool,
}

#[derive(Clone, Default)]
struct Committed {
    /// The last batch whose commit was attempted.
    epoch: u64,
    /// Recent batches whose commit failed.
    failed: Arc<Vec<u64>>,
}

/// One writer's turn: the writer connection, inside the batch's transaction and the writer's
/// own savepoint. Finish it with [`Batch::finish`].
pub struct Batch<'a> {
    group: &'a GroupCommit,
    guard: Option<MutexGuard<'a, Writer>>,
    epoch: u64,
    leader: bool,
}

impl GroupCommit {
    pub fn new(conn: PoolConnection<Sqlite>) -> Self {
        let writer = Writer { conn, open: false, epoch: 0, rollback_pending: false };
        Self(Arc::new(Shared { writer: Mutex::new(writer), committed: watch::Sender::new(Committed::default()) }))
    }

    /// Waits for the writer connection (tokio's mutex is fair: writers take turns in order).
    pub async fn enter(&self) -> StoreResult<Batch<'_>> {
        let mut writer = self.0.writer.lock().await;
        if std::mem::take(&mut writer.rollback_pending) {
            sqlx::query("ROLLBACK TO SAVEPOINT writer").execute(&mut *writer.conn).await?;
            sqlx::query("RELEASE SAVEPOINT writer").execute(&mut *writer.conn).await?;
        }
        let leader = !writer.open;
        if leader {
            sqlx::query("BEGIN IMMEDIATE").execute(&mut *writer.conn).await?;
            writer.open = true;
            writer.epoch += 1;
        }
        sqlx::query("SAVEPOINT writer").execute(&mut *writer.conn).await?;
        let epoch = writer.epoch;
        Ok(Batch { group: self, guard: Some(writer), epoch, leader })
    }

    /// Commits batch `epoch` if it is still open, and tells its writers how it went.
    async fn commit(&self, epoch: u64) {
        let mut writer = self.0.writer.lock().await;
        if !(writer.open && writer.epoch == epoch) {
            return;
        }
        if std::mem::take(&mut writer.rollback_pending) {
            let _ = sqlx::query("ROLLBACK TO SAVEPOINT writer").execute(&mut *writer.conn).await;
            let _ = sqlx::query("RELEASE SAVEPOINT writer").execute(&mut *writer.conn).await;
        }
        let result = sqlx::query("COMMIT").execute(&mut *writer.conn).await;
        if let Err(err) = &result {
            tracing::error!(error = %err, epoch, "group commit failed; its writers get an error");
            let _ = sqlx::query("ROLLBACK").execute(&mut *writer.conn).await;
        }
        writer.open = false;
        drop(writer);
        self.0.committed.send_modify(|committed| {
            committed.epoch = epoch;
            if result.is_err() {
                let failed = Arc::make_mut(&mut committed.failed);
                failed.push(epoch);
                if failed.len() > 64 {
                    failed.remove(0);
                }
            }
        });
    }
}

impl Batch<'_> {
    pub fn conn(&mut self) -> &mut SqliteConnection {
        // The guard is only taken by `finish`, which consumes the batch.
        &mut self.guard.as_mut().expect("a batch holds the writer until it finishes").conn
    }

    /// Keeps (`ok`) or undoes this writer's statements, then waits for the batch's commit.
    pub async fn finish(mut self, ok: bool) -> StoreResult<()> {
        let mut writer = self.guard.take().expect("a batch holds the writer until it finishes");
        if !ok {
            sqlx::query("ROLLBACK TO SAVEPOINT writer").execute(&mut *writer.conn).await?;
        }
        sqlx::query("RELEASE SAVEPOINT writer").execute(&mut *writer.conn).await?;
        let mut committed = self.group.0.committed.subscribe();
        drop(writer);
        if self.leader {
            // Let the writers already queued take their turn in this batch, then commit it.
            tokio::task::yield_now().await;
            self.group.commit(self.epoch).await;
        }
        let epoch = self.epoch;
        let outcome =
            committed.wait_for(|c| c.epoch >= epoch).await.map_err(|_| StoreError::Corrupt("writer gone".into()))?;
        if outcome.failed.contains(&epoch) {
            return Err(StoreError::Corrupt(format!("the commit of batch {epoch} failed")));
        }
        Ok(())
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        // Dropped before `finish` (its request was abandoned): undo its statements before the
        // next writer's turn, and make sure the batch is still committed for the others.
        if let Some(mut writer) = self.guard.take() {
            writer.rollback_pending = true;
            drop(writer);
            if self.leader {
                let (group, epoch) = (self.group.clone(), self.epoch);
                tokio::spawn(async move { group.commit(epoch).await });
            }
        }
    }
}
