//! Sandbox controls (API.md "Sandbox controls", tag `test-helpers`): what a developer testing
//! against the sandbox may do to their own merchant's data and time. Secret API key; scoped to
//! its merchant. A production implementation of the contract need not have these.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::AppJson;
use crate::app::AppState;
use crate::auth::MerchantKey;
use crate::domain::VirtualClock;
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::{Scope, digest};
use crate::sandbox::{MAX_STEPS, Target, advance};
use crate::store::{DueKind, DueWork};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reset_sandbox))
        .routes(routes!(get_clock))
        .routes(routes!(freeze_clock))
        .routes(routes!(advance_clock))
        .routes(routes!(resume_clock))
        .routes(routes!(get_schedule))
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockMode {
    /// Running at real speed (ahead of the real time, once advanced).
    Real,
    /// Standing still until advanced or resumed.
    Frozen,
}

/// The merchant's test clock: what its payments read as now.
#[derive(Debug, Serialize, ToSchema)]
pub struct TestClock {
    /// Always `test_helpers.clock`.
    #[schema(example = "test_helpers.clock")]
    pub object: String,
    pub now: DateTime<Utc>,
    pub mode: ClockMode,
    /// When the next pending work falls due (`GET /v1/test-helpers/schedule`); null when
    /// nothing is pending.
    #[schema(required = true)]
    pub next_due_at: Option<DateTime<Utc>>,
}

/// What falls due.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScheduledKind {
    /// A payment intent reaches its `expires_at` unpaid.
    PaymentIntentExpiry,
    /// An authorization reaches its capture deadline.
    AuthorizationExpiry,
    /// A debit settles.
    DebitSettlement,
    /// A webhook delivery's next attempt (`object` is the event).
    WebhookAttempt,
}

/// One piece of pending work.
#[derive(Debug, Serialize, ToSchema)]
pub struct Scheduled {
    pub kind: ScheduledKind,
    /// The object it changes: a payment intent, or the event a webhook attempt delivers.
    #[schema(example = "pi_3MtwBwLkdIwHu7ix28a3tqPa")]
    pub object: String,
    pub due_at: DateTime<Utc>,
}

impl From<&DueWork> for Scheduled {
    fn from(work: &DueWork) -> Self {
        Self {
            kind: match work.kind {
                DueKind::PaymentIntentExpiry => ScheduledKind::PaymentIntentExpiry,
                DueKind::AuthorizationExpiry => ScheduledKind::AuthorizationExpiry,
                DueKind::DebitSettlement => ScheduledKind::DebitSettlement,
                DueKind::WebhookAttempt => ScheduledKind::WebhookAttempt,
            },
            object: work.object_id().to_owned(),
            due_at: work.due_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Schedule {
    /// Due first, first; at most 100.
    pub data: Vec<Scheduled>,
    pub has_more: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FreezeClockRequest {
    /// Where to stop it (RFC 3339), not earlier than its now; now when left out.
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceClockRequest {
    /// Advance to this time (RFC 3339), not earlier than the clock's now.
    pub to: Option<DateTime<Utc>>,
    /// Advance by this many seconds, 0 to 315360000 (ten years).
    pub by: Option<i64>,
    /// `true`: advance to the next pending work's due time.
    pub next: Option<bool>,
}

/// An advance: the clock after it, and what ran.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockAdvance {
    pub clock: TestClock,
    /// The work that ran, in the order it ran.
    pub ran: Vec<Scheduled>,
    /// The step cap (1000) was reached: the clock stands at the last step's due time, and
    /// another advance goes on.
    pub has_more: bool,
}

/// `at`, if it is within ten years of the real time: far enough for any test, and far from the
/// limits of the dates both backends store.
fn within_reach(app: &AppState, at: DateTime<Utc>) -> Result<DateTime<Utc>, ApiError> {
    if at > app.store.clock().now() + TimeDelta::days(3650) {
        return Err(ApiError::ParameterInvalid {
            param: "at".into(),
            message: "must be within ten years of the real time".into(),
        });
    }
    Ok(at)
}

async fn clock_view(app: &AppState, merchant: Uuid, clock: VirtualClock) -> Result<TestClock, ApiError> {
    let next = app.store.due_work(merchant, None, 1).await?;
    Ok(TestClock {
        object: "test_helpers.clock".into(),
        now: clock.now(app.store.clock().now()),
        mode: if clock.is_frozen() { ClockMode::Frozen } else { ClockMode::Real },
        next_due_at: next.first().map(|work| work.due_at),
    })
}

/// Get the test clock
///
/// The merchant's clock: its now, whether it is frozen, and when the next pending work falls
/// due. A merchant that never touched its clock lives in real time.
#[utoipa::path(
    get, path = "/v1/test-helpers/clock", tag = "test-helpers", security(("api_key" = [])),
    responses(
        (status = 200, description = "The clock.", body = TestClock),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
    )
)]
pub async fn get_clock(key: MerchantKey, State(app): State<AppState>) -> Result<Json<TestClock>, ApiError> {
    let state = app.store.clock_state(key.merchant_id).await?;
    Ok(Json(clock_view(&app, key.merchant_id, state.clock).await?))
}

/// Freeze the test clock
///
/// Stops the merchant's clock now, or at `at` (not earlier than its now, within ten years).
/// Stopping at a later `at` runs what falls due on the way, as an advance does. Time then
/// stands still for the merchant's payments until an advance or a resume.
#[utoipa::path(
    post, path = "/v1/test-helpers/clock/freeze", tag = "test-helpers", security(("api_key" = [])),
    request_body(content = FreezeClockRequest, example = json!({"at": "2026-12-01T12:00:00Z"})),
    responses(
        (status = 200, description = "The clock, frozen.", body = TestClock),
        (status = 400, description = "`clock_backwards` (`at` before the clock's now), `parameter_invalid`, `unknown_parameter`, `invalid_json`, `invalid_content_type`, `idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
        (status = 409, description = "`clock_advancing`: an advance is running; `idempotency_key_in_use`.", body = ErrorBody),
    )
)]
pub async fn freeze_clock(
    key: MerchantKey,
    State(app): State<AppState>,
    AppJson(req): AppJson<FreezeClockRequest>,
) -> Result<Json<TestClock>, ApiError> {
    let merchant = key.merchant_id;
    let state = app.store.clock_state(merchant).await?;
    let clock = match req.at.map(|at| within_reach(&app, at)).transpose()? {
        // Stopping later is getting there first: what falls due on the way runs, as in an advance.
        Some(at) if at > state.clock.now(app.store.clock().now()) => {
            advance(&app, merchant, Target::To(at), true).await?.clock
        }
        at => app.store.set_clock(merchant, move |clock, real| clock.freeze(at, real)).await?.clock,
    };
    Ok(Json(clock_view(&app, merchant, clock).await?))
}

/// Advance the test clock
///
/// Moves the merchant's clock forward (`to` a time, `by` seconds, or to the `next` pending
/// work), running everything that falls due in between: each step in due-time order, with the
/// clock set to its due time, and work a step schedules inside the window in the same advance
/// (at most 1000 steps; then `has_more`). It returns when they are done; meanwhile the
/// merchant's other writes are `409 clock_advancing`. A frozen clock stays frozen at the new
/// time; a running one runs on from it. Only forward: an earlier `to` is `400 clock_backwards`.
#[utoipa::path(
    post, path = "/v1/test-helpers/clock/advance", tag = "test-helpers", security(("api_key" = [])),
    request_body(content = AdvanceClockRequest, examples(
        ("by" = (summary = "Eight days: an authorization lapses", value = json!({"by": 691200}))),
        ("to" = (summary = "To a time", value = json!({"to": "2026-12-09T12:00:00Z"}))),
        ("next" = (summary = "To the next pending work", value = json!({"next": true}))),
    )),
    responses(
        (status = 200, description = "The clock after the advance, and what ran.", body = ClockAdvance),
        (status = 400, description = "`clock_backwards`, `parameter_missing` (none of to, by, next), `parameter_invalid` (more than one, or a bad value), `unknown_parameter`, `invalid_json`, `invalid_content_type`, `idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
        (status = 409, description = "`clock_advancing`: another advance is running; `idempotency_key_in_use`.", body = ErrorBody),
    )
)]
pub async fn advance_clock(
    key: MerchantKey,
    State(app): State<AppState>,
    AppJson(req): AppJson<AdvanceClockRequest>,
) -> Result<Json<ClockAdvance>, ApiError> {
    let target = match (req.to, req.by, req.next) {
        (Some(to), None, None) => Target::To(within_reach(&app, to)?),
        (None, Some(by @ 0..=315_360_000), None) => Target::By(TimeDelta::seconds(by)),
        (None, Some(_), None) => {
            return Err(ApiError::ParameterInvalid {
                param: "by".into(),
                message: "must be 0 to 315360000 seconds (ten years)".into(),
            });
        }
        (None, None, Some(true)) => Target::Next,
        (None, None, None) => return Err(ApiError::ParameterMissing("to".into())),
        _ => {
            return Err(ApiError::ParameterInvalid {
                param: "to".into(),
                message: "give one of to, by or next: true".into(),
            });
        }
    };
    let advanced = advance(&app, key.merchant_id, target, false).await?;
    tracing::info!(merchant = %key.merchant_id, steps = advanced.ran.len(), "the test clock advanced");
    Ok(Json(ClockAdvance {
        clock: clock_view(&app, key.merchant_id, advanced.clock).await?,
        ran: advanced.ran.iter().map(Scheduled::from).collect(),
        has_more: advanced.has_more,
    }))
}

/// Resume the test clock
///
/// Lets a frozen clock run again at real speed, from where it stands (it never goes back; a
/// reset returns the merchant to real time).
#[utoipa::path(
    post, path = "/v1/test-helpers/clock/resume", tag = "test-helpers", security(("api_key" = [])),
    responses(
        (status = 200, description = "The clock, running.", body = TestClock),
        (status = 400, description = "`idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
        (status = 409, description = "`clock_advancing`: an advance is running; `idempotency_key_in_use`.", body = ErrorBody),
    )
)]
pub async fn resume_clock(key: MerchantKey, State(app): State<AppState>) -> Result<Json<TestClock>, ApiError> {
    let state = app.store.set_clock(key.merchant_id, |clock, real| Ok(clock.resume(real))).await?;
    Ok(Json(clock_view(&app, key.merchant_id, state.clock).await?))
}

/// Get the schedule
///
/// What is pending for the merchant, due first first: payment intents that will expire,
/// authorizations that will lapse, debits that will settle, webhook attempts to make. With `advance {next: true}`, this
/// is "skip to the next thing that will happen".
#[utoipa::path(
    get, path = "/v1/test-helpers/schedule", tag = "test-helpers", security(("api_key" = [])),
    responses(
        (status = 200, description = "The pending work.", body = Schedule),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
    )
)]
pub async fn get_schedule(key: MerchantKey, State(app): State<AppState>) -> Result<Json<Schedule>, ApiError> {
    let mut work = app.store.due_work(key.merchant_id, None, 101).await?;
    let has_more = work.len() > 100;
    work.truncate(100);
    Ok(Json(Schedule { data: work.iter().map(Scheduled::from).collect(), has_more }))
}

const _: () = assert!(MAX_STEPS == 1000, "the contract says 1000 steps");

/// What a reset cleared.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetResult {
    /// Always `test_helpers.reset`.
    #[schema(example = "test_helpers.reset")]
    pub object: String,
    /// Payment intents removed, with their charges and refunds.
    #[schema(example = 12)]
    pub payment_intents: u64,
    /// Events removed, with their webhook deliveries and attempts.
    #[schema(example = 40)]
    pub events: u64,
    #[schema(example = 57)]
    pub request_logs: u64,
    /// Answered idempotency keys forgotten: of the merchant's API keys, of its members acting
    /// on it, and of its checkouts.
    #[schema(example = 9)]
    pub idempotency_keys: u64,
}

/// Reset the sandbox
///
/// Clears, in one transaction, the merchant's payment intents, charges, refunds, events, webhook
/// deliveries, request logs, `kassa listen` cursors and answered idempotency keys. The merchant,
/// its members, API keys and webhook settings stay. A request still running when the reset
/// commits keeps its idempotency key.
#[utoipa::path(
    post, path = "/v1/test-helpers/reset", tag = "test-helpers", security(("api_key" = [])),
    responses(
        (status = 200, description = "What was cleared.", body = ResetResult),
        (status = 400, description = "`idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`; `clock_advancing`: an advance of the merchant's test clock is running.", body = ErrorBody),
    )
)]
pub async fn reset_sandbox(key: MerchantKey, State(app): State<AppState>) -> Result<Json<ResetResult>, ApiError> {
    let merchant = key.merchant_id;
    let (intents, members) = app.store.reset_scopes(merchant).await?;
    let mut scopes = vec![Scope::Merchant(merchant)];
    scopes.extend(members.into_iter().map(|user| Scope::Member { user, merchant }));
    for id in intents {
        let id = crate::domain::PaymentIntentId::parse(&id).map_err(|err| ApiError::Internal(err.into()))?;
        scopes.push(Scope::ClientSecret(app.client_secrets.issue(&id)));
    }
    let credentials: Vec<String> = scopes.iter().map(|scope| digest(&scope.to_string())).collect();
    let reset = app.store.reset_merchant(merchant, &credentials).await?;
    tracing::info!(merchant = %merchant, ?reset, "the sandbox was reset");
    Ok(Json(ResetResult {
        object: "test_helpers.reset".into(),
        payment_intents: reset.payment_intents,
        events: reset.events,
        request_logs: reset.request_logs,
        idempotency_keys: reset.idempotency_keys,
    }))
}
