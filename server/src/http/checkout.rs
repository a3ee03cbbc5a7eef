//! The checkout API (API.md "Hosted checkout"): what a browser holding a client secret may see
//! of an intent, and the confirm call that pays it with a card or a bank debit. Card and
//! account numbers are parsed here and dropped: only brand (or bank), last4 and expiry go
//! further.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::payment_intents::{PaymentError, PaymentIntentStatus, PaymentMethodType, authentication_url, intent_id};
use super::{AppJson, AppPath, AppQuery};
use crate::app::AppState;
use crate::domain::payment_intent::redirect_url;
use crate::domain::{
    BecsAccount, CardDetails, CardNumber, CardOutcome, Cvc, DebitOutcome, Expiry, Iban, PaymentIntentId, Status,
    Transition,
};
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::{Held, error_answer, json_answer};
use crate::respond::RequestId;
use crate::store::{Answer, Transitioned};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_checkout))
        .routes(routes!(confirm_checkout))
        .routes(routes!(authenticate_checkout))
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
    /// What the customer may pay with: confirm with the matching object.
    pub payment_method_types: Vec<PaymentMethodType>,
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

/// A SEPA Direct Debit mandate's account. No `Debug`: the number must never reach a log line.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SepaDebit {
    /// The account's IBAN, spaces allowed; checked by mod-97, never stored or logged.
    #[schema(example = "DE89 3704 0044 0532 0130 00")]
    pub iban: String,
}

/// An Australian account for BECS Direct Debit. No `Debug`, as for cards.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuBecsDebit {
    /// Six digits, `000-000` or `000000`.
    #[schema(example = "000-000")]
    pub bsb_number: String,
    /// 5 to 9 digits; never stored or logged.
    #[schema(example = "000123456")]
    pub account_number: String,
}

/// The client secret and exactly one way to pay, of the intent's `payment_method_types`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmCheckoutRequest {
    pub client_secret: String,
    /// Pay with a card.
    pub card: Option<Card>,
    /// Pay by SEPA Direct Debit (`eur` intents that take `sepa_debit`).
    pub sepa_debit: Option<SepaDebit>,
    /// Pay by BECS Direct Debit (`aud` intents that take `au_becs_debit`).
    pub au_becs_debit: Option<AuBecsDebit>,
}

/// An approved payment, or one that needs authentication, and where to send the browser.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmCheckoutResponse {
    /// `succeeded`, or `authorized` for manual capture; `requires_action` when the card asks
    /// for 3-D Secure, and then `redirect_url` is the authentication page; `processing` for a
    /// debit, which settles later (the browser goes on to `success_url`).
    pub status: PaymentIntentStatus,
    /// `success_url` with `payment_intent=<id>` added and `{PAYMENT_INTENT_ID}` /
    /// `{CHECKOUT_SESSION_ID}` replaced; or the authentication page.
    #[schema(example = "https://shop.example/thanks?payment_intent=pi_3MtwBwLkdIwHu7ix28a3tqPa")]
    pub redirect_url: String,
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
    let intent = app.store.get_payment_intent(None, &id).await?;
    let merchant = app.store.get_merchant(intent.merchant_id).await?;
    let now = app.store.now_for(intent.merchant_id).await?;
    Ok(Json(CheckoutView {
        id: intent.id.to_string(),
        amount: intent.amount,
        currency: intent.currency.code().into(),
        status: intent.status_at(now).into(),
        merchant_name: merchant.name,
        attempts_remaining: intent.attempts_remaining(),
        expires_at: intent.expires_at,
        last_payment_error: intent
            .last_payment_error
            .as_ref()
            .map(|decline| PaymentError::of(decline, intent.payment_method.as_ref())),
        payment_method_types: intent.payment_method_types.as_slice().iter().map(|m| (*m).into()).collect(),
    }))
}

/// Confirm a checkout
///
/// Pays the intent with a card, or by a bank debit, one of its `payment_method_types`.
///
/// A card approved: `succeeded` (or `authorized` for manual capture) and the URL to send the
/// browser to. Declined: `402 card_error` with the issuer's `decline_code`, and the attempt
/// counts; the fifth decline fails the intent. A malformed card is a 400 and does not count as
/// an attempt. Use the test cards of the API reference.
///
/// A debit (`sepa_debit: {iban}`, `au_becs_debit: {bsb_number, account_number}`) is submitted:
/// the intent is `processing` (event `payment_intent.processing`) and the browser goes on to
/// `success_url`. After the settlement delay (`KASSA_DEBIT_SETTLEMENT_DELAY`, 3 s by default)
/// it settles: `succeeded`, or `failed` with `last_payment_error.code = debit_failed`, each
/// with its event. A failed debit fails the intent (nobody is at the checkout by then to try
/// again): the merchant starts a new one. Test accounts: IBAN `DE89 3704 0044 0532 0130 00`
/// settles, `DE62 3704 0044 0532 0130 01` fails with `insufficient_funds`; BSB `000-000` with
/// account `000123456` settles, with `900123456` fails.
#[utoipa::path(
    post, path = "/v1/checkout/{payment_intent_id}/confirm", tag = "checkout", security(("client_secret" = [])),
    params(
        ("payment_intent_id" = String, Path, description = "The intent's id, `pi_…`."),
    ),
    request_body(content = ConfirmCheckoutRequest, examples(
        ("card" = (summary = "A card", value = json!({"client_secret": "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_9f2c6d0e4b1a8c7d5e3f2a1b0c9d8e7f", "card": {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Ada Lovelace"}}))),
        ("sepa_debit" = (summary = "A SEPA Direct Debit", value = json!({"client_secret": "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_9f2c6d0e4b1a8c7d5e3f2a1b0c9d8e7f", "sepa_debit": {"iban": "DE89 3704 0044 0532 0130 00"}}))),
        ("au_becs_debit" = (summary = "A BECS Direct Debit", value = json!({"client_secret": "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_9f2c6d0e4b1a8c7d5e3f2a1b0c9d8e7f", "au_becs_debit": {"bsb_number": "000-000", "account_number": "000123456"}}))),
    )),
    responses(
        (status = 200, description = "Approved; `requires_action`, with the authentication page as `redirect_url` (3-D Secure test cards); or `processing` (a debit).", body = ConfirmCheckoutResponse),
        (status = 400, description = "`invalid_card_number` (fails Luhn), `invalid_expiry` (malformed or past), `invalid_cvc`, `invalid_iban` (`param: sepa_debit.iban`, fails mod-97), `invalid_bank_account` (`param: au_becs_debit.bsb_number` or `au_becs_debit.account_number`), `parameter_missing` (none of card, sepa_debit, au_becs_debit), `parameter_invalid` (more than one; or a method the intent does not take, `param` naming it), `unknown_parameter`, `invalid_json`, `invalid_content_type`, `idempotency_key_reused`.", body = ErrorBody),
        (status = 402, description = "`card_declined` (type `card_error`) with `decline_code`, `network_decline_code`, `attempts_remaining`.", body = ErrorBody),
        (status = 403, description = "`invalid_client_secret`.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`; `clock_advancing`: an advance of the merchant's test clock is running.", body = ErrorBody),
        (status = 422, description = "`payment_intent_unexpected_state` (waiting for authentication, processing, or already authorized, succeeded, canceled or failed), `payment_intent_expired`.", body = ErrorBody),
    )
)]
pub async fn confirm_checkout(
    held: Held,
    RequestId(request_id): RequestId,
    State(app): State<AppState>,
    AppPath(id): AppPath<String>,
    AppJson(req): AppJson<ConfirmCheckoutRequest>,
) -> Result<Response, ApiError> {
    let id = verified_id(&id, &req.client_secret, &app)?;
    let transition = match (req.card, req.sepa_debit, req.au_becs_debit) {
        (Some(card), None, None) => card_transition(&card, app.store.now_for_intent(&id).await?)?,
        (None, Some(sepa), None) => {
            let iban = Iban::parse(&sepa.iban)?;
            debit_transition(&app, iban.details(), iban.test_outcome())?
        }
        (None, None, Some(becs)) => {
            let account = BecsAccount::parse(&becs.bsb_number, &becs.account_number)?;
            debit_transition(&app, account.details(), account.test_outcome())?
        }
        (None, None, None) => return Err(ApiError::ParameterMissing("card".into())),
        _ => {
            return Err(ApiError::ParameterInvalid {
                param: "card".into(),
                message: "pay with one of card, sepa_debit or au_becs_debit, not several".into(),
            });
        }
    };
    let answer = |done: &Transitioned| attempt_answer(&app, done, &request_id);
    let done = app.store.transition(None, &id, &transition, held.saving(&answer)).await?;
    Ok(held.respond(answer(&done)))
}

/// What a card makes of the intent, as the sandbox's issuer answers it. Card numbers stop
/// here: only brand, last4 and expiry go on.
fn card_transition(card: &Card, today: DateTime<Utc>) -> Result<Transition, ApiError> {
    let number = CardNumber::parse(&card.number)?;
    let expiry = Expiry::parse(card.exp_month, card.exp_year, (today.year(), today.month()))?;
    Cvc::parse(&card.cvc)?;
    let card = CardDetails {
        brand: number.brand(),
        last4: number.last4().to_owned(),
        exp_month: expiry.month,
        exp_year: expiry.year,
    };
    Ok(match number.test_outcome() {
        CardOutcome::Approved => Transition::Confirm(card),
        CardOutcome::Declined(decline) => Transition::Decline { card, decline },
        CardOutcome::Authenticate { then } => Transition::RequireAction { card, then },
    })
}

/// A debit from `account`, settling after the configured delay as the sandbox's bank answers.
fn debit_transition(
    app: &AppState,
    account: crate::domain::DebitDetails,
    outcome: DebitOutcome,
) -> Result<Transition, ApiError> {
    let settle_after = TimeDelta::from_std(app.config.debit_settlement_delay)
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("the settlement delay: {err}")))?;
    let then = match outcome {
        DebitOutcome::Settles => None,
        DebitOutcome::Fails(decline) => Some(decline),
    };
    Ok(Transition::Debit { account, then, settle_after })
}

/// How an attempt ends for the browser. An approval answers where to send it; a pending
/// authentication, the page to authenticate on; a decline (or a failed authentication) is
/// committed, as it counts as an attempt, and answered with the card error.
fn attempt_answer(app: &AppState, done: &Transitioned, request_id: &str) -> Answer {
    let intent = &done.intent;
    let issued_secret = app.client_secrets.issue(&intent.id);
    let (status, redirect) = match (intent.status, intent.last_payment_error) {
        (Status::RequiresPaymentMethod | Status::Failed, Some(decline)) => {
            let declined = ApiError::CardDeclined { decline, attempts_remaining: intent.attempts_remaining() };
            return error_answer(&declined, request_id);
        }
        // The page's URL carries the secret as the server issues it, so that a replay, which
        // derives the secret again, answers the same bytes.
        (Status::RequiresAction, _) => (intent.status, authentication_url(&app.wire, &intent.id, &issued_secret)),
        (status, _) => (status, redirect_url(&intent.success_url, intent.id.as_ref())),
    };
    json_answer(
        axum::http::StatusCode::OK,
        &ConfirmCheckoutResponse { status: status.into(), redirect_url: redirect },
        // The authentication page's URL carries the client secret: the kept copy does not.
        (status == Status::RequiresAction).then_some((issued_secret.as_str(), &intent.id)),
    )
}

/// How the customer's authentication ended.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthenticationResult {
    /// The customer authenticated: the issuer answers (approves, or declines).
    Complete,
    /// The customer failed or refused to authenticate.
    Fail,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthenticateCheckoutRequest {
    pub client_secret: String,
    pub result: AuthenticationResult,
}

/// Authenticate a checkout
///
/// What Kassa's test authentication page sends when the customer presses Complete or Fail
/// (3-D Secure, simulated as in Stripe's test mode). Complete goes on as the issuer answers:
/// `4000 0027 6000 3184` is approved (`succeeded`, or `authorized` for manual capture), `4000
/// 0082 6000 3178` is declined with `insufficient_funds`. Fail returns the intent to
/// `requires_payment_method` with `last_payment_error.code =
/// payment_intent_authentication_failure`, and counts as an attempt. Either way the attempt
/// becomes a charge. (As with any decline, the fifth failed attempt fails the intent.)
#[utoipa::path(
    post, path = "/v1/checkout/{payment_intent_id}/authenticate", tag = "checkout", security(("client_secret" = [])),
    params(
        ("payment_intent_id" = String, Path, description = "The intent's id, `pi_…`."),
    ),
    request_body(content = AuthenticateCheckoutRequest, example = json!({"client_secret": "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_9f2c6d0e4b1a8c7d5e3f2a1b0c9d8e7f", "result": "complete"})),
    responses(
        (status = 200, description = "Authenticated and approved: where to send the browser.", body = ConfirmCheckoutResponse),
        (status = 400, description = "`parameter_invalid` (result), `parameter_missing`, `unknown_parameter`, `invalid_json`, `invalid_content_type`, `idempotency_key_reused`.", body = ErrorBody),
        (status = 402, description = "`payment_intent_authentication_failure` (Fail; `decline_code` `authentication_required`), or `card_declined` (declined after authentication), type `card_error`, with `decline_code`, `network_decline_code`, `attempts_remaining`.", body = ErrorBody),
        (status = 403, description = "`invalid_client_secret`.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`; `clock_advancing`: an advance of the merchant's test clock is running.", body = ErrorBody),
        (status = 422, description = "`payment_intent_unexpected_state` (the intent is not `requires_action`), `payment_intent_expired`.", body = ErrorBody),
    )
)]
pub async fn authenticate_checkout(
    held: Held,
    RequestId(request_id): RequestId,
    State(app): State<AppState>,
    AppPath(id): AppPath<String>,
    AppJson(req): AppJson<AuthenticateCheckoutRequest>,
) -> Result<Response, ApiError> {
    let id = verified_id(&id, &req.client_secret, &app)?;
    let transition = Transition::Authenticate { completed: matches!(req.result, AuthenticationResult::Complete) };
    let answer = |done: &Transitioned| attempt_answer(&app, done, &request_id);
    let done = app.store.transition(None, &id, &transition, held.saving(&answer)).await?;
    Ok(held.respond(answer(&done)))
}
