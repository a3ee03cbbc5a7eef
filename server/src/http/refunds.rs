//! Refunds (API.md "Payment intents"): create and list, on a succeeded intent. The sum of an
//! intent's refunds never exceeds what it received.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::payment_intents::intent_id;
use super::{AppJson, AppPath, AppQuery, ListParams};
use crate::app::AppState;
use crate::auth::{Developer, MerchantAccess, Viewer};
use crate::domain::{self, Amount, RefundId, Transition};
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::{Held, error_answer, json_answer};
use crate::respond::RequestId;
use crate::store::Transitioned;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_refund, list_refunds))
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundReason {
    Duplicate,
    Fraudulent,
    RequestedByCustomer,
}

impl From<domain::RefundReason> for RefundReason {
    fn from(reason: domain::RefundReason) -> Self {
        match reason {
            domain::RefundReason::Duplicate => Self::Duplicate,
            domain::RefundReason::Fraudulent => Self::Fraudulent,
            domain::RefundReason::RequestedByCustomer => Self::RequestedByCustomer,
        }
    }
}

impl From<RefundReason> for domain::RefundReason {
    fn from(reason: RefundReason) -> Self {
        match reason {
            RefundReason::Duplicate => Self::Duplicate,
            RefundReason::Fraudulent => Self::Fraudulent,
            RefundReason::RequestedByCustomer => Self::RequestedByCustomer,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    /// Sandbox refunds succeed at once.
    Succeeded,
}

/// Money returned from a succeeded payment intent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Refund {
    #[schema(example = "re_3MtwBwLkdIwHu7ix0Ntfl6tP")]
    pub id: String,
    /// Always `refund`.
    #[schema(example = "refund")]
    pub object: String,
    pub payment_intent: String,
    #[schema(example = 500)]
    pub amount: i64,
    #[schema(required = true)]
    pub reason: Option<RefundReason>,
    pub status: RefundStatus,
    pub created_at: DateTime<Utc>,
}

impl From<&domain::Refund> for Refund {
    fn from(refund: &domain::Refund) -> Self {
        Self {
            id: refund.id.to_string(),
            object: "refund".into(),
            payment_intent: refund.payment_intent.to_string(),
            amount: refund.amount,
            reason: refund.reason.map(RefundReason::from),
            status: match refund.status {
                domain::RefundStatus::Succeeded => RefundStatus::Succeeded,
            },
            created_at: refund.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundList {
    pub data: Vec<Refund>,
    /// Whether another page follows; pass the last id as `starting_after` to get it.
    pub has_more: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRefundRequest {
    /// How much to refund; what remains of `amount_received` by default.
    #[schema(value_type = Option<i64>, minimum = 1, example = 500)]
    pub amount: Option<Value>,
    pub reason: Option<RefundReason>,
}

/// Refund a payment intent
///
/// Returns money from a `succeeded` intent, all that remains or part of it. Partial refunds
/// add up, but never beyond `amount_received`. The intent's status stays `succeeded`; its
/// `amount_refunded` grows. Appends `refund.created`.
#[utoipa::path(
    post, path = "/v1/payment-intents/{payment_intent_id}/refunds", tag = "refunds", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(
        ("payment_intent_id" = String, Path, description = "The intent's id, `pi_…`."),
    ),
    request_body(content = CreateRefundRequest, example = json!({"amount": 500, "reason": "requested_by_customer"})),
    responses(
        (status = 201, description = "The refund.", body = Refund),
        (status = 400, description = "`invalid_amount`, `parameter_invalid` (reason), `unknown_parameter`, `invalid_json`, `invalid_content_type`, `idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: a user token of a viewer; this needs a developer or above.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such intent for this merchant.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`; `clock_advancing`: an advance of the merchant's test clock is running.", body = ErrorBody),
        (status = 422, description = "`refund_exceeds_captured`: more than remains of `amount_received`; `invalid_state`: the intent has not succeeded.", body = ErrorBody),
    )
)]
pub async fn create_refund(
    key: MerchantAccess<Developer>,
    held: Held,
    RequestId(request_id): RequestId,
    State(app): State<AppState>,
    AppPath(id): AppPath<String>,
    AppJson(req): AppJson<CreateRefundRequest>,
) -> Result<Response, ApiError> {
    let id = intent_id(&id)?;
    let amount = req.amount.as_ref().map(|a| Amount::parse(a, "amount")).transpose()?;
    let transition = Transition::Refund { amount: amount.map(Amount::get), reason: req.reason.map(Into::into) };
    let answer = |done: &Transitioned| match &done.refund {
        Some(refund) => json_answer(StatusCode::CREATED, &Refund::from(refund), None),
        None => error_answer(&ApiError::Internal(anyhow::anyhow!("a refund transition made no refund")), &request_id),
    };
    let done = app.store.transition(Some(key.merchant_id), &id, &transition, held.saving(&answer)).await?;
    Ok(held.respond(answer(&done)))
}

/// List refunds
///
/// The intent's refunds, newest first.
#[utoipa::path(
    get, path = "/v1/payment-intents/{payment_intent_id}/refunds", tag = "refunds", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(("payment_intent_id" = String, Path, description = "The intent's id, `pi_…`."), ListParams),
    responses(
        (status = 200, description = "A page of refunds.", body = RefundList),
        (status = 400, description = "`parameter_invalid`, `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such intent for this merchant.", body = ErrorBody),
    )
)]
pub async fn list_refunds(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppPath(id): AppPath<String>,
    AppQuery(params): AppQuery<ListParams>,
) -> Result<Json<RefundList>, ApiError> {
    let id = intent_id(&id)?;
    let page = params.page(RefundId::parse)?;
    let (rows, has_more) = app.store.list_refunds(key.merchant_id, &id, page).await?;
    Ok(Json(RefundList { data: rows.iter().map(Refund::from).collect(), has_more }))
}
