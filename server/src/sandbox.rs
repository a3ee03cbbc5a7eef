//! Advancing a merchant's virtual clock (API.md "Sandbox controls"): everything that falls due
//! in between runs, one step at a time in due-time order, each with the merchant's now set to
//! its due time, so an advance plays out exactly what waiting would have. Work a step schedules
//! inside the window runs in the same advance, as the next step looks again.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::{Refusal, VirtualClock};
use crate::error::ApiError;
use crate::store::{DueObject, DueWork, StoreError};

/// The most steps one advance runs; an advance with more to do stops at the last step's time
/// and says so (`has_more`), and the next advance goes on.
pub const MAX_STEPS: usize = 1000;

/// How long an advance waits, at most, for attempts a worker had claimed before it began.
const WAIT: std::time::Duration = std::time::Duration::from_millis(50);
const MAX_WAITS: usize = 600;

/// Where an advance goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    To(DateTime<Utc>),
    By(TimeDelta),
    /// The due time of the next pending work (nowhere, when nothing is pending).
    Next,
}

/// What an advance did: the clock after it, and the work it ran, in order.
#[derive(Debug, Clone)]
pub struct Advanced {
    pub clock: VirtualClock,
    pub ran: Vec<DueWork>,
    /// The step cap was reached before `to`: the clock stands at the last step's time.
    pub has_more: bool,
}

/// Advances `merchant`'s clock to `target`, holding its other writes (`409 clock_advancing`)
/// until it returns.
pub async fn advance(app: &AppState, merchant: Uuid, target: Target) -> Result<Advanced, ApiError> {
    let held = app.store.hold_clock(merchant).await?;
    let advanced = run(app, merchant, held.clock, target).await;
    // Let go whatever happened: a lease would free it within a minute anyway.
    if let Err(err) = app.store.release_clock(merchant).await {
        tracing::warn!(error = %err, %merchant, "could not release the clock after an advance");
    }
    advanced
}

async fn run(app: &AppState, merchant: Uuid, start: VirtualClock, target: Target) -> Result<Advanced, ApiError> {
    let from = start.now(app.store.clock().now());
    let to = match target {
        Target::To(to) => crate::domain::clock::to_micros(to),
        Target::By(by) => from + by,
        Target::Next => app.store.due_work(merchant, None, 1).await?.first().map_or(from, |work| work.due_at.max(from)),
    };
    if to < from {
        return Err(ApiError::ClockBackwards);
    }
    let mut ran = Vec::new();
    let mut at = from;
    let mut has_more = false;
    let mut waits = 0;
    while let Some(work) = app.store.due_work(merchant, Some(to), 1).await?.into_iter().next() {
        if ran.len() == MAX_STEPS {
            has_more = true;
            break;
        }
        // The clock stands at the step's due time (work already due runs at the start).
        at = work.due_at.max(at);
        let step = at;
        app.store.set_clock(merchant, true, move |_, _| Ok(VirtualClock::Frozen { at: step })).await?;
        match (&work.object, work.transition()) {
            (_, Some((intent, transition))) => match app.store.transition(None, intent, &transition, None).await {
                // The sweeper, on this replica or another, may have done it already.
                Ok(_) | Err(StoreError::Refused(Refusal::NotDue)) => {}
                Err(err) => return Err(err.into()),
            },
            // The attempt is made here, to the merchant's endpoint, and its retry scheduled by
            // the clock (the worker leaves an advancing merchant's deliveries alone).
            (DueObject::Delivery { id, .. }, None) => {
                if app.outbox.attempt_delivery(id).await?.is_none() {
                    // A worker claimed it just before the advance began: its attempt, and the
                    // retry it schedules, are the next step.
                    waits += 1;
                    if waits > MAX_WAITS {
                        has_more = true;
                        break;
                    }
                    tokio::time::sleep(WAIT).await;
                    continue;
                }
            }
            (DueObject::Intent(_), None) => {}
        }
        ran.push(work);
    }
    let end = if has_more { at } else { to };
    let clock = app
        .store
        .set_clock(merchant, true, move |_, real| {
            Ok(if start.is_frozen() {
                VirtualClock::Frozen { at: end }
            } else {
                VirtualClock::Running { offset: end - real }
            })
        })
        .await?
        .clock;
    Ok(Advanced { clock, ran, has_more })
}
