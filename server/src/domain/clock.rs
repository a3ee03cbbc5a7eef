//! `Clock`: the one source of "now" for every rule that depends on time (deadlines, expiry,
//! timestamps of new objects). The app holds one and hands it to the store and the handlers;
//! nothing else reads the system time. A merchant may set its own [`VirtualClock`] on top of it
//! (API.md "Sandbox controls"): what that merchant's payments read as now.

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

/// `at` at the precision both backends store.
pub fn to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

/// A merchant's virtual clock: frozen at a time, or running at real speed some way ahead of
/// the real clock (`offset`, zero for the real time itself). It only moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VirtualClock {
    Running { offset: TimeDelta },
    Frozen { at: DateTime<Utc> },
}

impl Default for VirtualClock {
    /// The real time.
    fn default() -> Self {
        Self::Running { offset: TimeDelta::zero() }
    }
}

impl VirtualClock {
    /// The merchant's now when the real clock reads `real`.
    pub fn now(&self, real: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Self::Running { offset } => real + *offset,
            Self::Frozen { at } => *at,
        }
    }

    pub fn is_frozen(&self) -> bool {
        matches!(self, Self::Frozen { .. })
    }

    /// Stopped at `at` (now, when `None`), which may not be earlier than now.
    pub fn freeze(&self, at: Option<DateTime<Utc>>, real: DateTime<Utc>) -> Result<Self, super::DomainError> {
        let now = self.now(real);
        let at = at.map_or(now, to_micros);
        if at < now {
            return Err(super::DomainError::ClockBackwards);
        }
        Ok(Self::Frozen { at })
    }

    /// Moved forward to `to`: a frozen clock stays frozen there, a running one runs on from it.
    pub fn advance_to(&self, to: DateTime<Utc>, real: DateTime<Utc>) -> Result<Self, super::DomainError> {
        let now = self.now(real);
        let to = to_micros(to);
        if to < now {
            return Err(super::DomainError::ClockBackwards);
        }
        Ok(match self {
            Self::Running { offset } => Self::Running { offset: *offset + (to - now) },
            Self::Frozen { .. } => Self::Frozen { at: to },
        })
    }

    /// Running again from where it stands: never back to an earlier time.
    pub fn resume(&self, real: DateTime<Utc>) -> Self {
        match self {
            Self::Running { .. } => *self,
            Self::Frozen { at } => Self::Running { offset: *at - real },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_virtual_clock_freezes_advances_and_resumes_only_forward() {
        let real = DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z").unwrap().to_utc();
        let clock = VirtualClock::default();
        assert_eq!(clock.now(real), real);
        let frozen = clock.freeze(None, real).unwrap();
        assert_eq!(frozen.now(real + TimeDelta::hours(5)), real, "a frozen clock stands still");
        assert_eq!(
            clock.freeze(Some(real - TimeDelta::seconds(1)), real),
            Err(super::super::DomainError::ClockBackwards)
        );
        let later = frozen.advance_to(real + TimeDelta::days(7), real).unwrap();
        assert_eq!(later.now(real), real + TimeDelta::days(7));
        assert_eq!(later.advance_to(real, real), Err(super::super::DomainError::ClockBackwards));
        // Resumed, it runs on from where it stood, at real speed.
        let running = later.resume(real + TimeDelta::minutes(1));
        assert_eq!(running.now(real + TimeDelta::minutes(2)), real + TimeDelta::days(7) + TimeDelta::minutes(1));
        let ahead = running.advance_to(running.now(real) + TimeDelta::hours(1), real).unwrap();
        assert_eq!(ahead.now(real), running.now(real) + TimeDelta::hours(1));
        assert!(!ahead.is_frozen() && later.is_frozen());
    }

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
