//! Charges (API.md "Charges, authentication and asynchronous methods"): every attempt to pay
//! an intent, approved or declined, read with the merchant's key (or a member's token).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::payment_intents::{PaymentMethod, intent_filter};
use super::{AppPath, AppQuery, ListParams};
use crate::app::AppState;
use crate::auth::{MerchantAccess, Viewer};
use crate::domain::{self, ChargeId};
use crate::error::{ApiError, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_charges)).routes(routes!(get_charge))
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChargeStatus {
    Succeeded,
    Pending,
    Failed,
}

impl From<domain::ChargeStatus> for ChargeStatus {
    fn from(status: domain::ChargeStatus) -> Self {
        match status {
            domain::ChargeStatus::Succeeded => Self::Succeeded,
            domain::ChargeStatus::Pending => Self::Pending,
            domain::ChargeStatus::Failed => Self::Failed,
        }
    }
}

/// Why a charge was declined.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChargeOutcome {
    #[schema(example = "insufficient_funds")]
    pub decline_code: String,
    /// The issuer's ISO 8583 response code.
    #[schema(example = "51")]
    pub network_decline_code: String,
}

/// One attempt to pay a payment intent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Charge {
    #[schema(example = "ch_3MtwBwLkdIwHu7ix28a3tqPa")]
    pub id: String,
    /// Always `charge`.
    #[schema(example = "charge")]
    pub object: String,
    #[schema(example = "pi_3MtwBwLkdIwHu7ix28a3tqPa")]
    pub payment_intent: String,
    #[schema(example = 1000)]
    pub amount: i64,
    #[schema(example = "usd")]
    pub currency: String,
    /// `succeeded` when approved (captured or not), `failed` when declined (or when a debit
    /// failed to settle), `pending` while a debit waits to settle.
    pub status: ChargeStatus,
    /// Why it was declined; null when it was not.
    #[schema(required = true)]
    pub outcome: Option<ChargeOutcome>,
    pub payment_method: PaymentMethod,
    /// Whether the money was taken: at once under automatic capture, by a capture, or (a
    /// debit) when it settled.
    pub captured: bool,
    pub amount_captured: i64,
    pub amount_refunded: i64,
    pub created_at: DateTime<Utc>,
}

impl From<&domain::Charge> for Charge {
    fn from(charge: &domain::Charge) -> Self {
        Self {
            id: charge.id.to_string(),
            object: "charge".into(),
            payment_intent: charge.payment_intent.to_string(),
            amount: charge.amount,
            currency: charge.currency.code().into(),
            status: charge.status.into(),
            outcome: charge.outcome.map(|decline| ChargeOutcome {
                decline_code: decline.code.as_str().into(),
                network_decline_code: decline.network_code.into(),
            }),
            payment_method: PaymentMethod::from(&charge.payment_method),
            captured: charge.captured,
            amount_captured: charge.amount_captured,
            amount_refunded: charge.amount_refunded,
            created_at: charge.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChargeList {
    pub data: Vec<Charge>,
    /// Whether another page follows; pass the last id as `starting_after` to get it.
    pub has_more: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChargeListParams {
    /// Only the charges of this payment intent (`pi_…`).
    pub payment_intent: Option<String>,
    /// How many charges to return, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub limit: Option<i64>,
    /// Return the charges after this one (its id), for the next page.
    pub starting_after: Option<String>,
}

/// List charges
///
/// The merchant's charges, newest first: every attempt to pay, approved or declined. With
/// `payment_intent`, that intent's attempts.
#[utoipa::path(
    get, path = "/v1/charges", tag = "charges",
    security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(ChargeListParams),
    responses(
        (status = 200, description = "A page of charges.", body = ChargeList),
        (status = 400, description = "`parameter_invalid` (payment_intent, limit), `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
    )
)]
pub async fn list_charges(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<ChargeListParams>,
) -> Result<Json<ChargeList>, ApiError> {
    let page = ListParams { limit: params.limit, starting_after: params.starting_after }.page(ChargeId::parse)?;
    let intent = intent_filter(params.payment_intent.as_deref())?;
    let (rows, has_more) = app.store.list_charges(key.merchant_id, intent.as_ref(), page).await?;
    Ok(Json(ChargeList { data: rows.iter().map(Charge::from).collect(), has_more }))
}

/// Get a charge
///
/// One of the merchant's charges. Another merchant's is 404.
#[utoipa::path(
    get, path = "/v1/charges/{charge_id}", tag = "charges",
    security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(("charge_id" = String, Path, description = "The charge's id, `ch_…`.")),
    responses(
        (status = 200, description = "The charge.", body = Charge),
        (status = 400, description = "`parameter_invalid`: not a charge id.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such charge for this merchant.", body = ErrorBody),
    )
)]
pub async fn get_charge(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppPath(raw): AppPath<String>,
) -> Result<Json<Charge>, ApiError> {
    let id = ChargeId::parse(&raw).map_err(|_| ApiError::ParameterInvalid {
        param: "charge_id".into(),
        message: "must be a charge id, ch_…".into(),
    })?;
    let charge = app.store.get_charge(key.merchant_id, &id).await?;
    Ok(Json(Charge::from(&charge)))
}
