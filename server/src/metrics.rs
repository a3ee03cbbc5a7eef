//! What `GET /metrics` shows, in the Prometheus text format: the `metrics` facade records where
//! things happen (requests here, transitions in the store, attempts in the outbox, batches in
//! the group commit), and `metrics-exporter-prometheus` renders them. What is a level rather
//! than an event (the outbox backlog, the pool) is read from the store at scrape time.
//!
//! The recorder is process-global, as the facade is: servers sharing a process (tests) share
//! the counters. Series, all prefixed `kassa_`:
//! - `http_requests_total{method, route, status}`, `http_request_duration_seconds{method, route}`
//!   (histogram): the route is the template (`/v1/payment-intents/{id}`), never the raw path;
//! - `payment_intent_transitions_total{kind}`: confirm, decline, capture, refund, expire, …;
//! - `webhook_attempts_total{outcome}`: delivered, rejected (the receiver answered non-2xx),
//!   network_error; `outbox_backlog` (pending deliveries) and
//!   `outbox_oldest_pending_age_seconds`;
//! - `db_connections{pool, state}`: open connections, idle or in use, per pool;
//! - `sqlite_group_commit_batch_size` (histogram, SQLite only): writers per commit.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::domain::TransitionKind;

const DURATION: &str = "kassa_http_request_duration_seconds";
const BATCH: &str = "kassa_sqlite_group_commit_batch_size";

/// The process's recorder, installed on first use.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(DURATION.into()),
                &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0],
            )
            .and_then(|b| {
                b.set_buckets_for_metric(Matcher::Full(BATCH.into()), &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0])
            });
        let recorder = match builder {
            Ok(builder) => builder.build_recorder(),
            Err(_) => PrometheusBuilder::new().build_recorder(),
        };
        let handle = recorder.handle();
        // Another recorder already installed (an embedding program's) keeps its place: this
        // one then renders only the levels set at scrape time.
        let _ = metrics::set_global_recorder(recorder);
        describe();
        handle
    })
}

fn describe() {
    describe_counter!("kassa_http_requests_total", "HTTP requests answered, by method, route and status.");
    describe_histogram!(DURATION, metrics::Unit::Seconds, "Time spent answering HTTP requests.");
    describe_counter!("kassa_payment_intent_transitions_total", "Payment intent transitions made, by kind.");
    describe_counter!("kassa_webhook_attempts_total", "Webhook delivery attempts, by outcome.");
    describe_gauge!("kassa_outbox_backlog", "Webhook deliveries pending.");
    describe_gauge!(
        "kassa_outbox_oldest_pending_age_seconds",
        metrics::Unit::Seconds,
        "Age of the oldest pending webhook delivery."
    );
    describe_gauge!("kassa_db_connections", "Database connections open, by pool and state (idle, busy).");
    describe_histogram!(BATCH, "Writers committed together by one SQLite group commit.");
}

/// Middleware: counts and times every request by its route template.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request.extensions().get::<MatchedPath>().map_or("(unmatched)", MatchedPath::as_str).to_owned();
    let response = next.run(request).await;
    record_request(method, route, response.status().as_u16(), started.elapsed());
    response
}

fn record_request(method: String, route: String, status: u16, took: Duration) {
    handle();
    counter!("kassa_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    histogram!(DURATION, "method" => method, "route" => route).record(took.as_secs_f64());
}

pub fn transition(kind: TransitionKind) {
    counter!("kassa_payment_intent_transitions_total", "kind" => kind.as_str()).increment(1);
}

pub fn webhook_attempt(outcome: &'static str) {
    counter!("kassa_webhook_attempts_total", "outcome" => outcome).increment(1);
}

pub fn group_commit(writers: u64) {
    histogram!(BATCH).record(writers as f64);
}

/// The levels read at scrape time.
pub struct Levels {
    pub backlog: u64,
    pub oldest_pending_age: Option<Duration>,
    /// (pool, open connections, idle ones).
    pub pools: Vec<(&'static str, u32, u32)>,
}

/// The Prometheus text of everything recorded, and of `levels` as they stand.
pub fn render(levels: &Levels) -> String {
    let handle = handle();
    gauge!("kassa_outbox_backlog").set(levels.backlog as f64);
    gauge!("kassa_outbox_oldest_pending_age_seconds")
        .set(levels.oldest_pending_age.map_or(0.0, |age| age.as_secs_f64()));
    for &(pool, open, idle) in &levels.pools {
        gauge!("kassa_db_connections", "pool" => pool, "state" => "idle").set(f64::from(idle));
        gauge!("kassa_db_connections", "pool" => pool, "state" => "busy").set(f64::from(open.saturating_sub(idle)));
    }
    handle.run_upkeep();
    handle.render()
}
