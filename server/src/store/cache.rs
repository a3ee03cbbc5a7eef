//! Read caches for the hot reads of the embedded (SQLite) mode: API key authentication,
//! payment intents by id, and merchants' test clocks (read by every payment request).
//!
//! Why: on SQLite every query is a round trip to a connection's worker thread, and on the
//! GET path those thread wake-ups cost several times the rest of the request. Why it is
//! sound: in embedded mode this process is the database's only writer (its group commit holds
//! the write connection), so every change passes through the store, which invalidates the
//! entry before and after it. Reads that began before a write may not fill the cache with what
//! they read (the epoch check), so a stale row is never put back. PostgreSQL, where replicas
//! share the database, runs without these caches.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, RwLock};

pub struct Cache<K, V> {
    map: RwLock<HashMap<K, Arc<V>>>,
    /// Bumped by every invalidation; a read fills the cache only if it saw none since it began.
    epoch: AtomicU64,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V> Cache<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self { map: RwLock::new(HashMap::new()), epoch: AtomicU64::new(0), capacity }
    }

    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        self.map.read().ok()?.get(key).cloned()
    }

    /// Read before going to the database; pass it to [`Cache::fill`].
    pub fn epoch(&self) -> u64 {
        self.epoch.load(SeqCst)
    }

    /// Keeps what a database read that began at `epoch` found, unless something changed since.
    pub fn fill(&self, key: K, value: V, epoch: u64) {
        let Ok(mut map) = self.map.write() else { return };
        if self.epoch.load(SeqCst) != epoch {
            return;
        }
        if map.len() >= self.capacity {
            // Crude, but never wrong: the next reads refill what is hot.
            map.clear();
        }
        map.entry(key).or_insert_with(|| Arc::new(value));
    }

    /// Forgets `key`, and refuses fills from reads already under way.
    pub fn invalidate(&self, key: &K) {
        self.epoch.fetch_add(1, SeqCst);
        if let Ok(mut map) = self.map.write() {
            map.remove(key);
        }
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.epoch.fetch_add(1, SeqCst);
        if let Ok(mut map) = self.map.write() {
            map.clear();
        }
    }
}

/// The caches of one store, and the guard a change holds.
pub struct Caches {
    /// By payment intent id.
    pub intents: Cache<String, crate::domain::PaymentIntent>,
    /// By the hash of the presented secret.
    pub keys: Cache<String, super::AuthenticatedKey>,
    /// By merchant: its `clocks` row, or `None` for a merchant in real time.
    pub clocks: Cache<uuid::Uuid, Option<super::clocks::ClockRow>>,
    /// Clock changes begun and not yet settled (`Store::settled_clock`).
    pub clocks_changing: std::sync::atomic::AtomicUsize,
}

impl Caches {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            intents: Cache::new(100_000),
            keys: Cache::new(10_000),
            clocks: Cache::new(10_000),
            clocks_changing: Default::default(),
        })
    }
}

/// Invalidates an entry when a change begins, when the function making it returns (committed
/// or not), and once more when the SQLite batch holding the change ends — the guard may drop
/// before that if its request is cancelled while the batch is still open.
pub struct Changing {
    invalidate: Option<std::sync::Arc<dyn Fn() + Send + Sync>>,
    after_commit: Option<super::sqlite::GroupCommit>,
    /// Runs once, after the last invalidation.
    settled: Option<Box<dyn FnOnce() + Send + Sync>>,
}

impl Changing {
    pub fn new(
        invalidate: std::sync::Arc<dyn Fn() + Send + Sync>,
        after_commit: Option<super::sqlite::GroupCommit>,
    ) -> Self {
        invalidate();
        Self { invalidate: Some(invalidate), after_commit, settled: None }
    }

    /// No cache to keep fresh.
    pub fn none() -> Self {
        Self { invalidate: None, after_commit: None, settled: None }
    }

    /// Runs `f` once the change has settled: after its last invalidation.
    pub fn then(mut self, f: impl FnOnce() + Send + Sync + 'static) -> Self {
        self.settled = Some(Box::new(f));
        self
    }
}

impl Drop for Changing {
    fn drop(&mut self) {
        if let Some(invalidate) = self.invalidate.take() {
            invalidate();
            let settled = self.settled.take();
            let settle = move || settled.into_iter().for_each(|settled| settled());
            match &self.after_commit {
                Some(group) => group.after_commit(Box::new(move || {
                    invalidate();
                    settle();
                })),
                None => settle(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_that_overlapped_a_change_does_not_fill() {
        let cache: Cache<&str, u32> = Cache::new(10);
        let before = cache.epoch();
        cache.invalidate(&"pi");
        cache.fill("pi", 1, before);
        assert!(cache.get(&"pi").is_none());
        let now = cache.epoch();
        cache.fill("pi", 2, now);
        assert_eq!(cache.get(&"pi").as_deref(), Some(&2));
    }

    #[test]
    fn invalidation_forgets_only_its_key() {
        let cache: Cache<&str, u32> = Cache::new(10);
        cache.fill("a", 1, cache.epoch());
        cache.fill("b", 2, cache.epoch());
        cache.invalidate(&"a");
        assert!(cache.get(&"a").is_none());
        assert_eq!(cache.get(&"b").as_deref(), Some(&2));
    }

    #[test]
    fn a_change_settles_once_after_its_last_invalidation() {
        use std::sync::Mutex;
        let log = Arc::new(Mutex::new(Vec::new()));
        let (invalidated, settled) = (log.clone(), log.clone());
        let change = Changing::new(Arc::new(move || invalidated.lock().unwrap().push("invalidated")), None)
            .then(move || settled.lock().unwrap().push("settled"));
        assert_eq!(*log.lock().unwrap(), ["invalidated"]);
        drop(change);
        assert_eq!(*log.lock().unwrap(), ["invalidated", "invalidated", "settled"]);
    }

    #[test]
    fn a_full_cache_starts_over() {
        let cache: Cache<u32, u32> = Cache::new(2);
        for i in 0..3 {
            cache.fill(i, i, cache.epoch());
        }
        assert!(cache.get(&0).is_none() && cache.get(&2).is_some());
    }
}
