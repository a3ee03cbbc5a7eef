//! The application: shared state, the router with its middleware, and `serve`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::MatchedPath;
use axum::http::{Request, Response, StatusCode};
use axum::middleware;
use axum::response::IntoResponse;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use tokio_util::task::TaskTracker;

use crate::auth::JwtKeys;
use crate::config::Config;
use crate::domain::{self, ClientSecretKey, Clock, Refusal, Transition, random_base62};
use crate::error::ApiError;
use crate::idempotency::FingerprintKey;
use crate::respond::{REQUEST_ID, render_errors};
use crate::store::{DueWork, Pending, Store, StoreError};

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    /// The store, and through it the app's one [`Clock`].
    pub store: Store,
    pub jwt: JwtKeys,
    pub client_secrets: ClientSecretKey,
    pub fingerprints: FingerprintKey,
    pub wire: crate::http::Wire,
    /// The server key `kassa listen` secrets are derived from.
    pub listen_key: String,
    /// Webhook delivery: the worker `serve` runs, and manual redeliveries.
    pub outbox: crate::outbox::Outbox,
    /// Request log entries on their way to the store.
    pub request_logs: crate::request_logs::RequestLogs,
    /// Work that outlives the request that started it; `serve` waits for it on shutdown.
    pub tasks: TaskTracker,
    /// Turns true when the server starts shutting down, so long polls answer at once.
    pub stopping: tokio::sync::watch::Sender<bool>,
    pub config: Config,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Connects to the database (running its migrations) and loads the server's keys, on the
    /// real clock.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Clock::real()).await
    }

    /// Like `build`, with `clock` as the source of "now" (tests move it forward).
    pub async fn build_with_clock(config: Config, clock: Clock) -> anyhow::Result<Self> {
        let store = Store::connect(&config.database_url, clock)
            .await
            .with_context(|| format!("opening the {} database", backend_name(&config.database_url)))?;
        let secret = match &config.jwt_secret {
            Some(secret) => secret.clone(),
            None => store.setting_or_init("jwt_secret", &random_base62(64)).await.context("loading the JWT secret")?,
        };
        let jwt = JwtKeys::new(secret.as_bytes());
        let client_secret_key = store
            .setting_or_init("client_secret_key", &random_base62(64))
            .await
            .context("loading the client secret key")?;
        let client_secrets = ClientSecretKey::new(client_secret_key.as_bytes());
        let fingerprint_key = store
            .setting_or_init("idempotency_fingerprint_key", &random_base62(64))
            .await
            .context("loading the idempotency fingerprint key")?;
        let fingerprints = FingerprintKey::new(fingerprint_key.as_bytes());
        let listen_key =
            store.setting_or_init("listen_secret_key", &random_base62(64)).await.context("loading the listen key")?;
        let tasks = TaskTracker::new();
        let wire = crate::http::Wire { client_secrets: client_secrets.clone(), public_url: config.public_url.clone() };
        let render: crate::outbox::RenderEvent = {
            let wire = wire.clone();
            Arc::new(move |row: &crate::store::EventRow| crate::http::events::event_json(&wire, row))
        };
        let outbox = crate::outbox::Outbox::new(
            store.clone(),
            config.webhook_retry_schedule.clone(),
            config.webhook_public_only,
            render,
        )?;
        Ok(Self(Arc::new(Inner {
            store,
            jwt,
            client_secrets,
            fingerprints,
            wire,
            listen_key,
            outbox,
            request_logs: Default::default(),
            tasks,
            stopping: tokio::sync::watch::Sender::new(false),
            config,
        })))
    }
}

fn backend_name(url: &str) -> &'static str {
    if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" }
}

#[derive(Clone, Copy)]
struct MakeKassaRequestId;

impl MakeRequestId for MakeKassaRequestId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        domain::RequestId::generate().as_ref().parse().ok().map(RequestId::new)
    }
}

/// The whole HTTP surface: the documented API, the operations endpoints, and fallbacks that
/// answer unknown routes and methods in the documented error shape.
pub fn router(state: AppState) -> Router {
    let (api, _) = crate::http::api_router().split_for_parts();
    let middleware = ServiceBuilder::new()
        // Request ids are Kassa's to give: one sent by the client would be trusted by the next
        // layer, and could forge or collide with another request's log lines.
        .map_request(|mut request: Request<axum::body::Body>| {
            request.headers_mut().remove(REQUEST_ID);
            request
        })
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeKassaRequestId))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let request_id =
                        request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default();
                    // The route, not the raw path: ids stay out of the log, and the query string,
                    // which can hold a client secret, never enters it.
                    let path = request.extensions().get::<MatchedPath>().map_or("(unmatched)", MatchedPath::as_str);
                    tracing::info_span!("request", request_id, method = %request.method(), path)
                })
                .on_request(())
                .on_response(move |response: &Response<_>, latency: Duration, _span: &Span| {
                    let duration_ms = format!("{:.2}", latency.as_secs_f64() * 1e3);
                    tracing::info!(status = response.status().as_u16(), duration_ms, "request");
                })
                .on_failure(()),
        )
        .layer(middleware::from_fn(crate::metrics::track))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(middleware::from_fn_with_state(state.clone(), crate::request_logs::record))
        .layer(middleware::from_fn_with_state(state.clone(), crate::rate_limit::per_api_key))
        .layer(middleware::from_fn_with_state(state.clone(), crate::simulate::simulate))
        .layer(middleware::from_fn_with_state(state.clone(), crate::idempotency::idempotency))
        .layer(middleware::from_fn(render_errors))
        .layer(CatchPanicLayer::custom(|_panic| {
            ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
        }))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, state.config.request_timeout));
    Router::new()
        .merge(api)
        .merge(crate::http::ops::router())
        .merge(crate::http::checkout_page::router())
        .merge(crate::http::dashboard_page::router())
        .fallback(|| async { ApiError::RouteNotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware)
        .with_state(state)
}

/// Serves until ctrl-c or SIGTERM, then stops accepting and finishes the requests in flight.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let listen = config.listen;
    let state = AppState::build(config).await?;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
    let dashboard = format!("{}/dashboard", state.config.public_url.trim_end_matches('/'));
    tracing::info!(address = %listener.local_addr()?, backend = state.store.backend(), %dashboard, "kassa is serving");
    if !state.store.has_users().await? {
        tracing::info!("a new sandbox: open {dashboard} to sign up, create a merchant and get an API key");
    }
    let store = state.store.clone();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let tasks = state.tasks.clone();
    tasks.spawn(sweep(state.clone(), stopped.clone()));
    start_workers(&state, stopped);
    let stopping = state.stopping.clone();
    // The peer address is the client's address for the login and register limits.
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            stopping.send_replace(true);
        })
        .await?;
    let _ = stop.send(true);
    // The sweeper's pass, and requests whose clients hung up, finish before the store closes.
    tasks.close();
    tasks.wait().await;
    store.close().await;
    tracing::info!("kassa stopped");
    Ok(())
}

/// Starts the webhook delivery worker and the request log writer, tracked with the app's other
/// work, until `stop`.
pub fn start_workers(app: &AppState, stop: tokio::sync::watch::Receiver<bool>) {
    app.tasks.spawn(app.outbox.clone().run(stop.clone()));
    let writer = app.clone();
    app.tasks.spawn(async move { writer.request_logs.write(writer.store.clone(), stop).await });
}

/// One pass of the sweeper, the only writer of `expired` and of settled debits: writes down
/// every payment intent past its deadline, each with its `payment_intent.expired` event, and
/// settles every debit that is due, with its `succeeded` or `payment_failed` event; returns
/// how many it changed. Reads already show past-deadline intents as expired; this makes it
/// durable and emits the event.
pub async fn sweep_once(app: &AppState) -> Result<usize, StoreError> {
    let expiring = app.store.due_payment_intents(500).await?;
    let settling = app.store.due_settlements(500).await?;
    let mut work: Vec<(domain::PaymentIntentId, Transition)> = expiring
        .into_iter()
        .map(|id| (id, Transition::Expire))
        .chain(settling.into_iter().map(|id| (id, Transition::Settle)))
        .collect();
    // A merchant with a clock of its own: what is due by it (for a frozen clock, what it was
    // frozen past).
    // (While an advance holds a clock, the advance does that merchant's work.)
    for (merchant, now, _) in app.store.clocked_merchants(Pending::PaymentIntents).await?.into_iter().filter(|c| !c.2) {
        let due = app.store.due_work(merchant, Some(now), 500).await?;
        work.extend(
            due.iter().filter_map(DueWork::transition).map(|(intent, transition)| (intent.clone(), transition)),
        );
    }
    let mut changed = 0;
    for (id, transition) in &work {
        match app.store.transition(None, id, transition, None).await {
            Ok(_) => changed += 1,
            // Another replica, or a transition that just won, got there first.
            Err(StoreError::Refused(Refusal::NotDue)) => {}
            // One failure does not hold up the rest; the next sweep retries it.
            Err(err) => {
                tracing::warn!(error = %err, intent = %id, ?transition, "the sweeper could not change a payment intent")
            }
        }
    }
    Ok(changed)
}

/// How often the sweeper looks for due payment intents.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// Background work until shutdown: writes down expired payment intents and settles due debits
/// (emitting their events) every second, and forgets idempotency keys older than 24 hours every
/// ten minutes. Every replica may run it: each change is a conditional update, so only one
/// replica writes it, and a due time kept in the database survives a restart.
pub async fn sweep(app: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut ticks: u64 = 0;
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            () = tokio::time::sleep(SWEEP_EVERY) => {}
        }
        match sweep_once(&app).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(changed = n, "payment intents expired or settled"),
            Err(err) => tracing::warn!(error = %err, "sweeping payment intents failed"),
        }
        ticks += 1;
        if ticks.is_multiple_of(600) {
            if let Err(err) = app.store.delete_old_idempotency_keys().await {
                tracing::warn!(error = %err, "deleting old idempotency keys failed");
            }
            if let Err(err) = app.store.delete_old_request_logs().await {
                tracing::warn!(error = %err, "deleting old request logs failed");
            }
            let ended = app.store.clock().now() - chrono::TimeDelta::minutes(2);
            if let Err(err) = app.store.delete_old_rate_limits(ended).await {
                tracing::warn!(error = %err, "deleting old rate limit counters failed");
            }
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
