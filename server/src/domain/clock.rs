//! `Clock`: the one source of "now" for every rule that depends on time (deadlines, expiry,
//! timestamps of new objects). The app holds one and hands it to the store and the handlers;
//! nothing else reads the system time. A per-merchant virtual clock replaces this one type.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Added to the system time; tests move time forward through it.
    offset_micros: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn real() -> Self {
        Self::default()
    }

    /// Now, at the precision both backends store (microseconds), so a value written and read
    /// back compares equal on SQLite and PostgreSQL alike.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now() + TimeDelta::microseconds(self.offset_micros.load(Ordering::Relaxed));
        now.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(now)
    }

    /// The machine's time, for what a party outside Kassa checks against its own clock: the
    /// `t=` of a webhook signature, which receivers compare with theirs.
    pub fn wall_now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    /// Moves this clock (and every copy of it) forward by `by`.
    pub fn advance(&self, by: TimeDelta) {
        self.offset_micros.fetch_add(by.num_microseconds().unwrap_or(i64::MAX), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_copy_forward() {
        let clock = Clock::real();
        let copy = clock.clone();
        let before = clock.now();
        copy.advance(TimeDelta::days(7));
        assert!(clock.now() - before >= TimeDelta::days(7));
        assert_eq!(clock.now().timestamp_subsec_nanos() % 1000, 0, "microsecond precision");
    }
}
