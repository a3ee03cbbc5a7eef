//! Rate limits (API.md "Rate limits"): login and register attempts per email and per client
//! address, and requests per API key, each counted in fixed one-minute windows; past the
//! limit, `429 rate_limited` with `Retry-After` until the window ends. The counters live in
//! the database on PostgreSQL, so replicas share them (`store/rate_limits.rs`).
//!
//! Buckets are named by a hash of what they limit: an email never lands in the counters table.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::auth::{Credential, credential};
use crate::error::ApiError;
use crate::respond::{finish, request_id_of};

const WINDOW: TimeDelta = TimeDelta::minutes(1);

/// One thing a limit counts the requests of.
enum Bucket<'a> {
    Email(&'a str),
    Address(IpAddr),
    ApiKey(&'a str),
}

impl Bucket<'_> {
    fn name(&self) -> String {
        let named = match self {
            // Emails compare case-insensitively, as accounts do.
            Self::Email(email) => format!("email:{}", email.trim().to_lowercase()),
            Self::Address(address) => format!("address:{address}"),
            Self::ApiKey(key) => format!("api_key:{key}"),
        };
        hex::encode(&Sha256::digest(named.as_bytes())[..16])
    }
}

/// What is left of a limit in the current window.
#[derive(Debug, Clone, Copy)]
struct Budget {
    limit: u32,
    remaining: u64,
    /// Seconds until the window ends (at least 1).
    reset: u64,
}

/// Counts a hit on `bucket`; `RateLimited` once the window holds more than `limit`. With no
/// limit (0) nothing is counted and there is no budget.
async fn hit(app: &AppState, bucket: Bucket<'_>, limit: u32) -> Result<Option<Budget>, ApiError> {
    if limit == 0 {
        return Ok(None);
    }
    let now = app.store.clock().now();
    let window: DateTime<Utc> = now.duration_trunc(WINDOW).unwrap_or(now);
    let hits = app.store.count_hit(&bucket.name(), window).await?;
    let left = (window + WINDOW - now).num_seconds() + 1;
    let reset = u64::try_from(left.clamp(1, 60)).unwrap_or(60);
    match u64::try_from(i64::from(limit) - hits) {
        Ok(remaining) => Ok(Some(Budget { limit, remaining, reset })),
        Err(_) => Err(ApiError::RateLimited { limit, retry_after: reset }),
    }
}

/// A login or register attempt naming `email`, from `client`: counted on both, before the
/// password is looked at, so a limited attempt costs the same whether the email exists or not.
pub async fn auth_attempt(app: &AppState, email: &str, client: ClientAddress) -> Result<(), ApiError> {
    let limits = app.config.rate_limits;
    let by_email = hit(app, Bucket::Email(email), limits.per_email).await;
    let by_address = match client.0 {
        Some(address) => hit(app, Bucket::Address(address), limits.per_address).await,
        None => Ok(None),
    };
    by_email.and(by_address).map(|_| ())
}

/// Middleware: a request with a valid API key counts against that key's limit, and its answer
/// says what is left of it: `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
/// (seconds), as the IETF draft on rate limit headers names them. Other requests (and invalid
/// keys, refused later) pass; the credential resolved here is reused.
pub async fn per_api_key(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let request_id = request_id_of(&request);
    let (mut parts, body) = request.into_parts();
    let budget = match credential(&mut parts, &app).await {
        Ok(Some(Credential::ApiKey(key))) => {
            let limit = app.config.rate_limits.per_api_key;
            match hit(&app, Bucket::ApiKey(&key.key_id), limit).await {
                Ok(budget) => budget,
                Err(err) => {
                    let retry_after = match &err {
                        ApiError::RateLimited { retry_after, .. } => *retry_after,
                        _ => 1,
                    };
                    let mut response = finish(err.into_response(), &request_id);
                    let spent = Budget { limit, remaining: 0, reset: retry_after };
                    with_budget(&mut response, spent);
                    return response;
                }
            }
        }
        _ => None,
    };
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(budget) = budget {
        with_budget(&mut response, budget);
    }
    response
}

fn with_budget(response: &mut Response, budget: Budget) {
    let headers = response.headers_mut();
    headers.insert("ratelimit-limit", budget.limit.into());
    headers.insert("ratelimit-remaining", budget.remaining.into());
    headers.insert("ratelimit-reset", budget.reset.into());
}

/// The client's address: the last one in the configured proxy header (`--client-ip-header`),
/// else the connection's peer. `None` when neither is known.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(header) = &app.config.client_ip_header {
            let forwarded = parts.headers.get_all(header).iter().filter_map(|v| v.to_str().ok()).next_back();
            let last = forwarded.and_then(|v| v.rsplit(',').next()).and_then(|v| v.trim().parse().ok());
            return Ok(Self(last));
        }
        Ok(Self(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| peer.ip())))
    }
}
