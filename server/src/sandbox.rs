//! Advancing a merchant's virtual clock (API.md "Sandbox controls"): everything that falls due
//! in between runs, one step at a time in due-time order, each with the merchant's now set to
//! its due time, so an advance plays out exactly what waiting would have. Work a step schedules
//! inside the window runs in the same advance, as the next step looks again.
//!
//! The advance holds the clock under a token of its own (a lease each step renews): the
//! merchant's other writes, and any other advance, are refused until it lets go.

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::{Refusal, VirtualClock, random_base62};
use crate::error::ApiError;
use crate::store::{DueObject, DueWork, StoreError};

/// The most steps one advance runs; an advance with more to do stops at the last step's time
/// and says so (`has_more`), and the next advance goes on.
pub const MAX_STEPS: usize = 1000;

/// How long an advance waits between looks for an attempt a worker claimed just before it.
const WAIT: Duration = Duration::from_millis(50);

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
    /// The step cap or the time budget was reached before the target: the clock stands at the
    /// last step's time, and another advance goes on.
    pub has_more: bool,
}

/// Advances `merchant`'s clock to `target`, holding its other writes (`409 clock_advancing`)
/// until it returns; with `freeze`, the clock is left frozen there whatever its mode was.
///
/// It runs as a task of its own, tracked with the app's work: a client that hangs up, or a
/// request timeout, does not cut it off half way. It stops, with `has_more`, before half the
/// request timeout has passed.
pub async fn advance(app: &AppState, merchant: Uuid, target: Target, freeze: bool) -> Result<Advanced, ApiError> {
    let task = {
        let app = app.clone();
        app.tasks.clone().spawn(async move {
            let token = random_base62(24);
            let start = app.store.hold_clock(merchant, &token).await?;
            let advanced = run(&app, merchant, &token, start, target, freeze).await;
            // Let go whatever happened: the lease would free it within a minute anyway.
            if let Err(err) = app.store.release_clock(merchant, &token).await {
                tracing::warn!(error = %err, %merchant, "could not release the clock after an advance");
            }
            advanced
        })
    };
    task.await.map_err(|err| ApiError::Internal(anyhow::anyhow!("the advance stopped: {err}")))?
}

async fn run(
    app: &AppState,
    merchant: Uuid,
    token: &str,
    start: VirtualClock,
    target: Target,
    freeze: bool,
) -> Result<Advanced, ApiError> {
    // The hold stopped the clock at its now: the advance starts from there.
    let from = start.now(app.store.clock().now());
    let to = match target {
        Target::To(to) => crate::domain::clock::to_micros(to),
        Target::By(by) => from + by,
        Target::Next => app.store.due_work(merchant, None, 1).await?.first().map_or(from, |work| work.due_at.max(from)),
    };
    // The clock is left as it started (or frozen, when asked), at `end`.
    let leave = |end: DateTime<Utc>| {
        move |real: DateTime<Utc>| {
            if freeze || start.is_frozen() {
                VirtualClock::Frozen { at: end }
            } else {
                VirtualClock::Running { offset: end - real }
            }
        }
    };
    if to < from {
        app.store.step_clock(merchant, token, leave(from)(app.store.clock().now())).await?;
        return Err(ApiError::ClockBackwards);
    }
    let budget = app.config.request_timeout / 2;
    let began = Instant::now();
    let mut ran = Vec::new();
    let mut at = from;
    let mut has_more = false;
    let stepped: Result<(), ApiError> = async {
        while let Some(work) = app.store.due_work(merchant, Some(to), 1).await?.into_iter().next() {
            if ran.len() == MAX_STEPS || began.elapsed() > budget {
                has_more = true;
                break;
            }
            // The clock stands at the step's due time (work already due runs at the start).
            at = work.due_at.max(at);
            app.store.step_clock(merchant, token, VirtualClock::Frozen { at }).await?;
            match (&work.object, work.transition()) {
                (_, Some((intent, transition))) => match app.store.transition(None, intent, &transition, None).await {
                    // The sweeper, on this replica or another, may have done it already.
                    Ok(_) | Err(StoreError::Refused(Refusal::NotDue)) => {}
                    Err(err) => return Err(err.into()),
                },
                // The attempt is made here, to the merchant's endpoint, and its retry scheduled
                // by the clock (the worker leaves an advancing merchant's deliveries alone).
                (DueObject::Delivery { id, .. }, None) => {
                    if app.outbox.attempt_delivery(id, at).await?.is_none() {
                        // A worker claimed it just before the advance began (or made the
                        // attempt after the advance read it as due): its attempt, and the retry
                        // it schedules, come next.
                        tokio::time::sleep(WAIT).await;
                        continue;
                    }
                }
                (DueObject::Intent(_), None) => {}
            }
            ran.push(work);
        }
        Ok(())
    }
    .await;
    let end = if has_more || stepped.is_err() { at } else { to };
    let clock = leave(end)(app.store.clock().now());
    app.store.step_clock(merchant, token, clock).await?;
    stepped?;
    Ok(Advanced { clock, ran, has_more })
}
