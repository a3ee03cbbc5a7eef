//! The checkout API (API.md "Hosted checkout"): what a browser holding a client secret may see
//! of an intent, and the confirm call that pays it with a card. Card numbers are parsed here
//! and dropped: only brand, last4 and expiry go further.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::payment_intents::{PaymentError, PaymentIntent, PaymentIntentStatus, expire, intent_id};
use super::{AppJson, AppPath, AppQuery};
use crate::app::AppState;
use crate::domain::payment_intent::{MAX_ATTEMPTS, redirect_url};
use crate::domain::{CardNumber, CardOutcome, Cvc, Expiry, PaymentIntentId, Status};
use crate::error::{ApiError, ErrorBody};
use crate::store::{CardSnapshot, PaymentIntentRow, StoreError};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_checkout)).routes(routes!(confirm_checkout))
}

/// What a browser may know of a payment intent: no secrets, no metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckoutView {
    pub id: String,
    #[schema(example = 1000)]
    pub amount: i64,
    #[schema(example = "usd")]
    pub currency: String,
    pub status: PaymentIntentStatus,
    #[schema(example = "Acme Books")]
    pub merchant_name: String,
    /// Declines left before the intent fails.
    #[schema(example = 5)]
    pub attempts_remaining: i64,
    pub expires_at: DateTime<Utc>,
    #[schema(required = true)]
    pub last_payment_error: Option<PaymentError>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ClientSecretQuery {
    /// The intent's client secret, `pi_…_secret_…`.
    pub client_secret: String,
}

/// No `Debug`: a card must never reach a log line.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Digits, spaces allowed; never stored or logged.
    #[schema(example = "4242 4242 4242 4242")]
    pub number: String,
    #[schema(example = 12)]
    pub exp_month: i64,
    /// Four digits, or two (`30` is 2030).
    #[schema(example = 2030)]
    pub exp_year: i64,
    #[schema(example = "123")]
    pub cvc: String,
    /// The cardholder's name.
    #[schema(example = "Ada Lovelace")]
    #[allow(dead_code, reason = "required of the customer, as on a real checkout, but never kept")]
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmCheckoutRequest {
    pub client_secret: String,
    pub card: Card,
}

/// An approved payment, and where to send the browser.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmCheckoutResponse {
    /// `succeeded`, or `authorized` for manual capture.
    pub status: PaymentIntentStatus,
    /// `success_url` with `payment_intent=<id>` added and `{PAYMENT_INTENT_ID}` /
    /// `{CHECKOUT_SESSION_ID}` replaced.
    #[schema(example = "https://shop.example/thanks?payment_intent=pi_3MtwBwLkdIwHu7ix28a3tqPa")]
    pub redirect_url: String,
}

fn attempts_remaining(row: &PaymentIntentRow) -> i64 {
    if row.status == Status::Failed.as_str() { 0 } else { (MAX_ATTEMPTS - row.attempts).max(0) }
}

/// The intent the client secret opens. The secret is an HMAC of the id, so it is checked
/// without any lookup: a wrong one is 403, whether or not the intent exists.
pub(super) fn verified_id(id: &str, client_secret: &str, app: &AppState) -> Result<PaymentIntentId, ApiError> {
    let id = intent_id(id)?;
    if app.client_secrets.verify(&id, client_secret) { Ok(id) } else { Err(ApiError::InvalidClientSecret) }
}

/// Get a checkout
///
/// The public view of a payment intent for its hosted checkout: amount, merchant, status, and
/// how many attempts are left. Authenticated by the intent's client secret alone.
#[utoipa::path(
    get, path = "/v1/checkout/{payment_intent_id}", tag = "checkout", security(("client_secret" = [])),
    params(("payment_intent_id" = String, Path, description = "The intent's id, `pi_…`."), ClientSecretQuery),
    responses(
        (status = 200, description = "What the checkout page shows.", body = CheckoutView),
        (status = 400, description = "`parameter_missing` (client_secret), `parameter_invalid`, `unknown_parameter`.", body = ErrorBody),
        (status = 403, description = "`invalid_client_secret`.", body = ErrorBody),
    )
)]
pub async fn get_checkout(
    State(app): State<AppState>,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<ClientSecretQuery>,
) -> Result<Json<CheckoutView>, ApiError> {
    let id = verified_id(&id, &query.client_secret, &app)?;
    let row = app.store.get_payment_intent(None, &id).await.map_err(|err| match err {
        StoreError::NotFound => ApiError::NotFound("payment intent"),
        other => other.into(),
    })?;
    let merchant = app.store.get_merchant(row.merchant_id).await?;
    let now = crate::store::now();
    let intent = PaymentIntent::render(&app, &row, now);
    Ok(Json(CheckoutView {
        id: intent.id,
        amount: intent.amount,
        currency: intent.currency,
        status: intent.status,
        merchant_name: merchant.name,
        attempts_remaining: attempts_remaining(&row),
        expires_at: intent.expires_at,
        last_payment_error: intent.last_payment_error,
    }))
}

/// Confirm a checkout
///
/// Pays the intent with a card. Approved: `succeeded` (or `authorized` for manual capture) and
/// the URL to send the browser to. Declined: `402 card_error` with the issuer's
/// `decline_code`, and the attempt counts; the fifth decline fails the intent. A malformed card
/// is a 400 and does not count as an attempt. Use the test cards of the API reference.
#[utoipa::path(
    post, path = "/v1/checkout/{payment_intent_id}/confirm", tag = "checkout", security(("client_secret" = [])),
    params(
        ("payment_intent_id" = String, Path, description = "The intent's id, `pi_…`."),
    ),
    request_body(content = ConfirmCheckoutRequest, example = json!({"client_secret": "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_9f2c6d0e4b1a8c7d5e3f2a1b0c9d8e7f", "card": {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Ada Lovelace"}})),
    responses(
        (status = 200, description = "Approved.", body = ConfirmCheckoutResponse),
        (status = 400, description = "`invalid_card_number` (fails Luhn), `invalid_expiry` (malformed or past), `invalid_cvc`, `parameter_missing`, `unknown_parameter`, `invalid_json`, `invalid_content_type`, `idempotency_key_reused`.", body = ErrorBody),
        (status = 402, description = "`card_declined` (type `card_error`) with `decline_code`, `network_decline_code`, `attempts_remaining`.", body = ErrorBody),
        (status = 403, description = "`invalid_client_secret`.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`.", body = ErrorBody),
        (status = 422, description = "`payment_intent_unexpected_state` (already authorized, succeeded, canceled or failed), `payment_intent_expired`.", body = ErrorBody),
    )
)]
pub async fn confirm_checkout(
    State(app): State<AppState>,
    AppPath(id): AppPath<String>,
    AppJson(req): AppJson<ConfirmCheckoutRequest>,
) -> Result<Json<ConfirmCheckoutResponse>, ApiError> {
    let id = verified_id(&id, &req.client_secret, &app)?;
    let number = CardNumber::parse(&req.card.number)?;
    let today = Utc::now();
    let expiry = Expiry::parse(req.card.exp_month, req.card.exp_year, (today.year(), today.month()))?;
    Cvc::parse(&req.card.cvc)?;
    let render = |r: &PaymentIntentRow| PaymentIntent::event_json(&app, r);
    let result = match number.test_outcome() {
        CardOutcome::Approved => {
            let card = CardSnapshot {
                brand: number.brand().as_str(),
                last4: number.last4(),
                exp_month: expiry.month.into(),
                exp_year: expiry.year.into(),
            };
            app.store.confirm_payment_intent(&id, &card, &render).await.map(|row| {
                let status = row.status_at(crate::store::now()).into();
                Json(ConfirmCheckoutResponse { status, redirect_url: redirect_url(&row.success_url, &row.id) })
            })
        }
        CardOutcome::Declined(decline) => {
            let error = PaymentError {
                code: "card_declined".into(),
                decline_code: decline.code.as_str().into(),
                network_decline_code: decline.network_code.into(),
                message: decline.code.message().into(),
            };
            let error = serde_json::to_string(&error).map_err(|err| ApiError::Internal(err.into()))?;
            match app.store.record_declined_attempt(&id, &error, &render).await {
                Ok(row) => {
                    return Err(ApiError::CardDeclined { decline, attempts_remaining: attempts_remaining(&row) });
                }
                Err(err) => Err(err),
            }
        }
    };
    result.map_err(|err| match err {
        StoreError::Conflict(row) => {
            let status = row.status_at(crate::store::now());
            if status == Status::Expired {
                let app = app.clone();
                // Written down in the background; the answer does not wait for it.
                tokio::spawn(async move { expire(&app, &row).await });
                ApiError::PaymentIntentExpired
            } else {
                ApiError::UnexpectedState(status.as_str())
            }
        }
        StoreError::NotFound => ApiError::NotFound("payment intent"),
        other => other.into(),
    })
}
