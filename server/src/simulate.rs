//! The `Kassa-Simulate` middleware (API.md "Sandbox controls"): on a request authenticated by an
//! API key or a user token, answers the error it asks for, waits, or runs the request and then
//! answers the error anyway (`after_commit`). Authentication is never weakened: the credential
//! is checked first, and a request without a valid one runs as if the header were absent, into
//! its own 401 (or, on the public endpoints, as usual).
//!
//! It sits outside the idempotency middleware, so a simulated error before the handler keeps no
//! answer (a retry runs afresh), while with `after_commit` the real answer is kept and a retry
//! with the same `Idempotency-Key` is replayed it (even with the header still on): the payment
//! is neither lost nor repeated.

use axum::extract::{Request, State};
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::auth::credential;
use crate::domain::simulate::Simulation;
use crate::error::ApiError;
use crate::respond::{finish, request_id_of};

pub const HEADER: HeaderName = HeaderName::from_static("kassa-simulate");

pub async fn simulate(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let Some(raw) = request.headers().get(&HEADER).cloned() else { return next.run(request).await };
    let request_id = request_id_of(&request);
    let (mut parts, body) = request.into_parts();
    // Resolved once: the layers and extractors after this one reuse it.
    let authenticated = matches!(credential(&mut parts, &app).await, Ok(Some(_)));
    let request = Request::from_parts(parts, body);
    if !authenticated {
        return next.run(request).await;
    }
    let parsed = raw.to_str().map_err(|_| crate::domain::DomainError::InvalidSimulation).and_then(Simulation::parse);
    let simulation = match parsed {
        Ok(simulation) => simulation,
        Err(err) => return finish(ApiError::from(err).into_response(), &request_id),
    };
    tokio::time::sleep(simulation.delay).await;
    let Some(status) = simulation.status else { return next.run(request).await };
    if simulation.after_commit {
        // The change is made and committed; only its answer is lost on the way. A replay
        // committed nothing, so it has no answer to lose: a client retrying with the header
        // still on gets the answer it lost.
        let committed = next.run(request).await;
        if committed.headers().contains_key(crate::idempotency::REPLAYED) {
            return committed;
        }
    }
    tracing::info!(status = status.code(), after_commit = simulation.after_commit, "answered as Kassa-Simulate asked");
    finish(ApiError::Simulated(status).into_response(), &request_id)
}
