//! `Kassa-Simulate` (API.md "Sandbox controls"): what a client asks the sandbox to do to one
//! of its requests, so that it can test its own retries. Parsed here; the middleware in
//! `crate::simulate` acts on it.
//!
//! The header is `;`-separated directives, spaces allowed around each:
//! - `status=500`, `status=429` or `status=503`: answer that error instead of running the request;
//! - `after_commit` (with a `status`): run the request, keep its change, and answer the error anyway;
//! - `delay_ms=N` (0 to [`MAX_DELAY_MS`]): wait that long first.

use std::time::Duration;

use super::DomainError;

/// The longest wait a request may ask for.
pub const MAX_DELAY_MS: u64 = 10_000;

/// An error the sandbox answers on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimulatedStatus {
    /// `500 internal_error`.
    InternalError,
    /// `429 rate_limited`, with `Retry-After`.
    TooManyRequests,
    /// `503 service_unavailable`, with `Retry-After`.
    Unavailable,
}

impl SimulatedStatus {
    pub fn code(self) -> u16 {
        match self {
            Self::InternalError => 500,
            Self::TooManyRequests => 429,
            Self::Unavailable => 503,
        }
    }
}

/// What `Kassa-Simulate` asks for: at least a status or a delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Simulation {
    pub status: Option<SimulatedStatus>,
    /// Answer `status` only once the request has run and its change is committed.
    pub after_commit: bool,
    pub delay: Duration,
}

impl Simulation {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let invalid = DomainError::InvalidSimulation;
        let mut simulation = Self { status: None, after_commit: false, delay: Duration::ZERO };
        let mut delayed = false;
        for directive in raw.split(';').map(str::trim) {
            match directive.split_once('=').map(|(name, value)| (name.trim(), value.trim())) {
                Some(("status", value)) if simulation.status.is_none() => {
                    simulation.status = Some(match value {
                        "500" => SimulatedStatus::InternalError,
                        "429" => SimulatedStatus::TooManyRequests,
                        "503" => SimulatedStatus::Unavailable,
                        _ => return Err(invalid),
                    });
                }
                Some(("delay_ms", value)) if !delayed => {
                    let ms: u64 = value.parse().map_err(|_| invalid.clone())?;
                    if ms > MAX_DELAY_MS {
                        return Err(invalid);
                    }
                    simulation.delay = Duration::from_millis(ms);
                    delayed = true;
                }
                None if directive == "after_commit" && !simulation.after_commit => simulation.after_commit = true,
                _ => return Err(invalid),
            }
        }
        if simulation.status.is_none() && (simulation.after_commit || !delayed) {
            return Err(invalid);
        }
        Ok(simulation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_documented_form_parses() {
        let at = |status, after_commit, ms| Simulation { status, after_commit, delay: Duration::from_millis(ms) };
        assert_eq!(Simulation::parse("status=503"), Ok(at(Some(SimulatedStatus::Unavailable), false, 0)));
        assert_eq!(
            Simulation::parse(" status=500 ; after_commit "),
            Ok(at(Some(SimulatedStatus::InternalError), true, 0))
        );
        assert_eq!(Simulation::parse("delay_ms=800"), Ok(at(None, false, 800)));
        assert_eq!(
            Simulation::parse("delay_ms=10;status=429"),
            Ok(at(Some(SimulatedStatus::TooManyRequests), false, 10))
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for raw in [
            "",
            "status=404",
            "status=500; status=503",
            "after_commit",
            "delay_ms=800; after_commit",
            "delay_ms=-1",
            "delay_ms=10001",
            "delay_ms=1; delay_ms=2",
            "status=500; after_commit; after_commit",
            "status=500;",
            "chaos=1",
        ] {
            assert_eq!(Simulation::parse(raw), Err(DomainError::InvalidSimulation), "{raw:?}");
        }
    }
}
