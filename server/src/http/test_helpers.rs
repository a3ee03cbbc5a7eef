//! Sandbox controls (API.md "Sandbox controls", tag `test-helpers`): what a developer testing
//! against the sandbox may do to their own merchant's data. Secret API key; scoped to its
//! merchant. A production implementation of the contract need not have these.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::MerchantKey;
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::{Scope, digest};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(reset_sandbox))
}

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
        (status = 409, description = "`idempotency_key_in_use`.", body = ErrorBody),
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
