//! Operations endpoints (API.md "Operations"): health, readiness, the contract and its rendered
//! reference. They sit outside `/v1` and outside the contract itself.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::app::AppState;
use crate::error::ApiError;

/// The checked-in contract, served byte for byte; a test keeps it equal to what the code
/// generates, so this is also what the running server implements.
pub const OPENAPI_JSON: &str = include_str!("../../../openapi/kassa.json");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi_json))
        // Swagger UI's files are compiled into the binary (utoipa-swagger-ui's `vendored`
        // feature): the reference works offline and loads nothing from elsewhere.
        // `validator_url("none")`: otherwise Swagger UI asks validator.swagger.io for a badge.
        .merge(SwaggerUi::new("/docs").config(Config::new(["/openapi.json"]).validator_url("none")))
}

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers too.
async fn readyz(State(app): State<AppState>) -> Result<&'static str, ApiError> {
    // A probe wants an answer now: a database that does not answer within this is down, even
    // while the pool would still be trying to connect.
    match tokio::time::timeout(READY_WITHIN, app.store.ping()).await {
        Ok(Ok(())) => Ok("ok"),
        Ok(Err(err)) => Err(ApiError::Unavailable(err.into())),
        Err(_) => Err(ApiError::Unavailable(anyhow::anyhow!("the database did not answer within {READY_WITHIN:?}"))),
    }
}

const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Prometheus text exposition.
async fn metrics(State(app): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let (backlog, oldest) = app.store.outbox_backlog().await?;
    let levels = crate::metrics::Levels {
        backlog,
        oldest_pending_age: oldest.map(|at| (app.store.clock().now() - at).to_std().unwrap_or_default()),
        pools: app.store.pool_stats(),
    };
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], crate::metrics::render(&levels)))
}

async fn openapi_json() -> impl IntoResponse {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}
