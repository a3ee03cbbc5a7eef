//! Payment intents (API.md "Payment intents"): create, get, list, capture, void. Secret API
//! key auth; another merchant's intent is 404.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{AppJson, AppPath, AppQuery, ListParams, Wire};
use crate::app::AppState;
use crate::auth::{Developer, MerchantAccess, MerchantKey, Viewer};
use crate::domain::{
    self, Amount, CaptureMethod, Currency, Decline, Email, ExpiresIn, HttpUrl, Metadata, PaymentIntentId, Status,
    Transition,
};
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::{Held, json_answer};
use crate::store::{Answer, NewPaymentIntent, Transitioned};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_payment_intent, list_payment_intents))
        .routes(routes!(get_payment_intent))
        .routes(routes!(capture_payment_intent))
        .routes(routes!(void_payment_intent))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentIntentStatus {
    RequiresPaymentMethod,
    /// Waiting for the customer to authenticate (3-D Secure): see `next_action`.
    RequiresAction,
    /// A debit submitted to the bank: it settles, `succeeded` or `failed`, after the
    /// settlement delay.
    Processing,
    Authorized,
    Succeeded,
    Canceled,
    Expired,
    Failed,
}

impl From<Status> for PaymentIntentStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::RequiresPaymentMethod => Self::RequiresPaymentMethod,
            Status::RequiresAction => Self::RequiresAction,
            Status::Processing => Self::Processing,
            Status::Authorized => Self::Authorized,
            Status::Succeeded => Self::Succeeded,
            Status::Canceled => Self::Canceled,
            Status::Expired => Self::Expired,
            Status::Failed => Self::Failed,
        }
    }
}

impl From<PaymentIntentStatus> for Status {
    fn from(status: PaymentIntentStatus) -> Self {
        match status {
            PaymentIntentStatus::RequiresPaymentMethod => Self::RequiresPaymentMethod,
            PaymentIntentStatus::RequiresAction => Self::RequiresAction,
            PaymentIntentStatus::Processing => Self::Processing,
            PaymentIntentStatus::Authorized => Self::Authorized,
            PaymentIntentStatus::Succeeded => Self::Succeeded,
            PaymentIntentStatus::Canceled => Self::Canceled,
            PaymentIntentStatus::Expired => Self::Expired,
            PaymentIntentStatus::Failed => Self::Failed,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentIntentCaptureMethod {
    /// Charge an approved card at once.
    Automatic,
    /// Only authorize; capture within 7 days with the capture endpoint.
    Manual,
}

impl From<CaptureMethod> for PaymentIntentCaptureMethod {
    fn from(method: CaptureMethod) -> Self {
        match method {
            CaptureMethod::Automatic => Self::Automatic,
            CaptureMethod::Manual => Self::Manual,
        }
    }
}

impl From<PaymentIntentCaptureMethod> for CaptureMethod {
    fn from(method: PaymentIntentCaptureMethod) -> Self {
        match method {
            PaymentIntentCaptureMethod::Automatic => Self::Automatic,
            PaymentIntentCaptureMethod::Manual => Self::Manual,
        }
    }
}

/// A way to pay.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethodType {
    Card,
    /// SEPA Direct Debit (eur).
    SepaDebit,
    /// BECS Direct Debit (aud).
    AuBecsDebit,
}

impl From<domain::MethodType> for PaymentMethodType {
    fn from(method: domain::MethodType) -> Self {
        match method {
            domain::MethodType::Card => Self::Card,
            domain::MethodType::SepaDebit => Self::SepaDebit,
            domain::MethodType::AuBecsDebit => Self::AuBecsDebit,
        }
    }
}

/// The last declined attempt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentError {
    /// `card_declined`; `payment_intent_authentication_failure` when the customer failed
    /// 3-D Secure authentication (then `decline_code` is `authentication_required`);
    /// `debit_failed` when the bank refused a debit as it settled.
    #[schema(example = "card_declined")]
    pub code: String,
    #[schema(example = "insufficient_funds")]
    pub decline_code: String,
    /// The ISO 8583 response code of the reason, as a card issuer gives it (a failed debit
    /// carries the same code for the same reason).
    #[schema(example = "51")]
    pub network_decline_code: String,
    pub message: String,
}

impl PaymentError {
    /// `decline` of an attempt with `method` (a card when the intent no longer names one).
    pub fn of(decline: &Decline, method: Option<&domain::PaymentMethodDetails>) -> Self {
        let method = method.map_or(domain::MethodType::Card, domain::PaymentMethodDetails::method_type);
        Self {
            code: decline.error_code(method).into(),
            decline_code: decline.code.as_str().into(),
            network_decline_code: decline.network_code.into(),
            message: decline.message(method).into(),
        }
    }
}

/// What paid: a card (brand and expiry) or a bank account (its bank), never the full number.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaymentMethod {
    #[serde(rename = "type")]
    pub kind: PaymentMethodType,
    /// The card's brand; null for a debit.
    #[schema(required = true, example = "visa")]
    pub brand: Option<String>,
    /// The last four digits of the card or account number.
    #[schema(example = "4242")]
    pub last4: String,
    /// The card's expiry; null for a debit.
    #[schema(required = true, example = 12)]
    pub exp_month: Option<i64>,
    #[schema(required = true, example = 2030)]
    pub exp_year: Option<i64>,
    /// The account's bank: the IBAN's country for `sepa_debit` (`DE`), the BSB for
    /// `au_becs_debit` (`000-000`); null for a card.
    #[schema(required = true, example = json!(null))]
    pub bank: Option<String>,
}

impl From<&domain::PaymentMethodDetails> for PaymentMethod {
    fn from(method: &domain::PaymentMethodDetails) -> Self {
        let card = method.card();
        Self {
            kind: method.method_type().into(),
            brand: card.map(|c| c.brand.as_str().into()),
            last4: method.last4().into(),
            exp_month: card.map(|c| c.exp_month.into()),
            exp_year: card.map(|c| c.exp_year.into()),
            bank: method.debit().map(|d| d.bank.clone()),
        }
    }
}

/// A payment the merchant expects: what to charge, and how far it got.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentIntent {
    #[schema(example = "pi_3MtwBwLkdIwHu7ix28a3tqPa")]
    pub id: String,
    /// Always `payment_intent`.
    #[schema(example = "payment_intent")]
    pub object: String,
    /// In the currency's minor unit: 1000 is $10.00 (¥1000 in jpy).
    #[schema(example = 1000)]
    pub amount: i64,
    /// What a capture may still take (authorized intents only).
    pub amount_capturable: i64,
    pub amount_received: i64,
    pub amount_refunded: i64,
    #[schema(example = "usd")]
    pub currency: String,
    pub status: PaymentIntentStatus,
    pub capture_method: PaymentIntentCaptureMethod,
    /// Lets a browser pay this intent (hosted checkout); keep it out of logs and URLs you share.
    /// Null when read with a viewer's user token: a viewer may only read, and the secret pays.
    #[schema(required = true, example = "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_9f2c6d0e4b1a8c7d5e3f2a1b0c9d8e7f")]
    pub client_secret: Option<String>,
    /// The hosted checkout page for this intent (it carries the client secret, so it is null
    /// when that is).
    #[schema(required = true)]
    pub checkout_url: Option<String>,
    pub success_url: String,
    pub cancel_url: String,
    #[schema(required = true)]
    pub description: Option<String>,
    #[schema(required = true)]
    pub customer_email: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// What the customer may pay with.
    pub payment_method_types: Vec<PaymentMethodType>,
    /// Attempts to pay so far, cards and debits; the fifth declined card fails the intent.
    pub attempts: i64,
    #[schema(required = true)]
    pub last_payment_error: Option<PaymentError>,
    #[schema(required = true)]
    pub payment_method: Option<PaymentMethod>,
    /// What the customer must do next: while `requires_action`, go to the authentication page
    /// (the hosted checkout sends them there). Null otherwise, and when read without the client
    /// secret (the URL carries it).
    #[schema(required = true)]
    pub next_action: Option<NextAction>,
    /// The charge of the latest attempt to pay (`GET /v1/charges/{charge_id}`); null before
    /// the first.
    #[schema(required = true, example = "ch_3MtwBwLkdIwHu7ix28a3tqPa")]
    pub latest_charge: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Waiting intents expire at `created_at + expires_in`; an authorized intent's
    /// `expires_at` is its capture deadline, 7 days after authorization.
    pub expires_at: DateTime<Utc>,
}

impl PaymentIntent {
    /// The API's view of an intent as of `now`: one past its deadline reads as `expired` at
    /// once, before the sweeper writes it down. The client secret is derived here, never stored.
    pub fn render(wire: &Wire, intent: &domain::PaymentIntent, now: DateTime<Utc>, secret: Secret) -> Self {
        let read = intent.as_of(now);
        Self::with_status(wire, &read, read.status, secret)
    }

    /// The view of an intent just written (created, or changed by a transition), or kept in an
    /// event: its status is the one written down.
    pub fn as_written(wire: &Wire, intent: &domain::PaymentIntent, secret: Secret) -> Self {
        Self::with_status(wire, intent, intent.status, secret)
    }

    fn with_status(wire: &Wire, intent: &domain::PaymentIntent, status: Status, secret: Secret) -> Self {
        let client_secret = (secret == Secret::Shown).then(|| wire.client_secrets.issue(&intent.id));
        let next_action = match (&client_secret, intent.pending_authentication, status) {
            (Some(secret), Some(_), Status::RequiresAction) => {
                Some(NextAction::redirect(authentication_url(wire, &intent.id, secret)))
            }
            _ => None,
        };
        Self {
            id: intent.id.to_string(),
            object: "payment_intent".into(),
            amount: intent.amount,
            amount_capturable: intent.amount_capturable,
            amount_received: intent.amount_received,
            amount_refunded: intent.amount_refunded,
            currency: intent.currency.code().into(),
            status: status.into(),
            capture_method: intent.capture_method.into(),
            checkout_url: client_secret
                .as_ref()
                .map(|secret| format!("{}/checkout/{}?client_secret={secret}", wire.public_url, intent.id)),
            client_secret,
            success_url: intent.success_url.clone(),
            cancel_url: intent.cancel_url.clone(),
            description: intent.description.clone(),
            customer_email: intent.customer_email.clone(),
            metadata: intent.metadata.as_map().clone(),
            payment_method_types: intent.payment_method_types.as_slice().iter().map(|m| (*m).into()).collect(),
            attempts: intent.attempts,
            last_payment_error: intent
                .last_payment_error
                .as_ref()
                .map(|decline| PaymentError::of(decline, intent.payment_method.as_ref())),
            payment_method: intent.payment_method.as_ref().map(PaymentMethod::from),
            next_action,
            latest_charge: intent.latest_charge.as_ref().map(ToString::to_string),
            created_at: intent.created_at,
            expires_at: intent.expires_at,
        }
    }
}

/// Stripe's shape: `{type: "redirect_to_url", redirect_to_url: {url}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct NextAction {
    /// Always `redirect_to_url`.
    #[serde(rename = "type")]
    #[schema(example = "redirect_to_url")]
    pub kind: String,
    pub redirect_to_url: RedirectToUrl,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RedirectToUrl {
    /// Kassa's test authentication page for this intent.
    #[schema(
        example = "http://127.0.0.1:4242/checkout/pi_3MtwBwLkdIwHu7ix28a3tqPa/authenticate?client_secret=pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_9f2c6d0e4b1a8c7d5e3f2a1b0c9d8e7f"
    )]
    pub url: String,
}

impl NextAction {
    fn redirect(url: String) -> Self {
        Self { kind: "redirect_to_url".into(), redirect_to_url: RedirectToUrl { url } }
    }
}

/// Where a customer authenticates a payment (3-D Secure): a page of the hosted checkout.
pub(super) fn authentication_url(wire: &Wire, id: &domain::PaymentIntentId, client_secret: &str) -> String {
    format!("{}/checkout/{id}/authenticate?client_secret={client_secret}", wire.public_url)
}

/// The answer of a call that created or changed an intent: the intent as written. It carries
/// the client secret, so the kept copy has it taken out.
pub(super) fn intent_answer(wire: &Wire, status: StatusCode, intent: &domain::PaymentIntent) -> Answer {
    let body = PaymentIntent::as_written(wire, intent, Secret::Shown);
    json_answer(status, &body, body.client_secret.as_deref().map(|secret| (secret, &intent.id)))
}

/// Whether a rendered intent carries its client secret (see
/// `auth::MerchantAccess::sees_client_secrets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    Shown,
    Hidden,
}

impl Secret {
    pub fn for_reader<R>(access: &MerchantAccess<R>) -> Self {
        if access.sees_client_secrets() { Self::Shown } else { Self::Hidden }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentIntentList {
    pub data: Vec<PaymentIntent>,
    /// Whether another page follows; pass the last id as `starting_after` to get it.
    pub has_more: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePaymentIntentRequest {
    /// A positive integer in the currency's minor unit, at most 99999999: 9999 is $99.99.
    #[schema(value_type = i64, minimum = 1, maximum = 99999999, example = 1000)]
    pub amount: Value,
    /// Lower-case ISO 4217: usd, eur, gbp, aud, cad, chf, jpy (zero-decimal), sek, nok, dkk.
    #[schema(example = "usd")]
    pub currency: String,
    /// Where the browser goes after paying; `{PAYMENT_INTENT_ID}` is replaced and
    /// `payment_intent=<id>` added. Absolute http(s).
    #[schema(example = "https://shop.example/thanks")]
    pub success_url: String,
    /// Where the browser goes when the customer goes back to the shop from the checkout
    /// ("Back to <merchant>") or the intent has expired; `{PAYMENT_INTENT_ID}` is replaced and
    /// `payment_intent=<id>` added, as for `success_url`. Going back leaves the intent open
    /// until it expires (as a Stripe Checkout Session stays open), so the customer may return
    /// and pay. Absolute http(s).
    #[schema(example = "https://shop.example/cart")]
    pub cancel_url: String,
    /// At most 1000 characters.
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    /// `automatic` (default) or `manual`. Manual capture is for cards: with a debit among
    /// `payment_method_types` it is `400 parameter_invalid` (`param: capture_method`).
    pub capture_method: Option<PaymentIntentCaptureMethod>,
    pub customer_email: Option<String>,
    /// Up to 20 string keys (≤ 40 characters) with string values (≤ 500 characters).
    #[schema(value_type = Option<BTreeMap<String, String>>)]
    pub metadata: Option<Value>,
    /// Seconds until the intent expires, 1 to 86400; 3600 by default.
    #[schema(minimum = 1, maximum = 86400, example = 3600)]
    pub expires_in: Option<i64>,
    /// What the customer may pay with: `card` (the default), `sepa_debit` (eur only),
    /// `au_becs_debit` (aud only). A method that does not work with `currency` is
    /// `400 payment_method_unsupported_currency`.
    #[schema(value_type = Option<Vec<PaymentMethodType>>, min_items = 1, example = json!(["card"]))]
    pub payment_method_types: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapturePaymentIntentRequest {
    /// How much to capture, at most `amount_capturable`; the rest is released. All by default.
    #[schema(value_type = Option<i64>, minimum = 1, example = 750)]
    pub amount: Option<Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PaymentIntentListParams {
    /// Only intents with this status.
    pub status: Option<PaymentIntentStatus>,
    /// How many intents to return, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub limit: Option<i64>,
    /// Return the intents after this one (its id), for the next page.
    pub starting_after: Option<String>,
}

/// Parses a `{payment_intent_id}` path parameter.
pub(super) fn intent_id(raw: &str) -> Result<PaymentIntentId, ApiError> {
    parse_intent_id(raw, "payment_intent_id")
}

/// Parses the `?payment_intent=` filter of a list (events, charges).
pub(super) fn intent_filter(raw: Option<&str>) -> Result<Option<PaymentIntentId>, ApiError> {
    raw.map(|raw| parse_intent_id(raw, "payment_intent")).transpose()
}

fn parse_intent_id(raw: &str, param: &str) -> Result<PaymentIntentId, ApiError> {
    PaymentIntentId::parse(raw).map_err(|_| ApiError::ParameterInvalid {
        param: param.into(),
        message: "must be a payment intent id, pi_…".into(),
    })
}

/// Create a payment intent
///
/// Starts a payment: what to charge, in which currency, and where the customer's browser goes
/// afterwards. The response carries the `checkout_url` of the hosted checkout and the
/// `client_secret` a browser confirms with. Appends `payment_intent.created`.
#[utoipa::path(
    post, path = "/v1/payment-intents", tag = "payment_intents", security(("api_key" = [])),
    request_body(content = CreatePaymentIntentRequest, example = json!({"amount": 1000, "currency": "usd", "success_url": "https://shop.example/thanks", "cancel_url": "https://shop.example/cart", "metadata": {"order_id": "6735"}})),
    responses(
        (status = 201, description = "The new payment intent, `requires_payment_method`.", body = PaymentIntent),
        (status = 400, description = "`invalid_amount`, `invalid_currency`, `invalid_url`, `invalid_email` (customer_email), `payment_method_unsupported_currency` (`param: payment_method_types`), `parameter_invalid` (metadata, expires_in, description, capture_method, payment_method_types), `unknown_parameter`, `parameter_missing`, `invalid_json`, `invalid_content_type`, `idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`: no active secret API key.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`: a request with this key is still running; `clock_advancing`: an advance of the merchant's test clock is running.", body = ErrorBody),
    )
)]
pub async fn create_payment_intent(
    key: MerchantKey,
    held: Held,
    State(app): State<AppState>,
    AppJson(req): AppJson<CreatePaymentIntentRequest>,
) -> Result<Response, ApiError> {
    let amount = Amount::parse(&req.amount, "amount")?;
    let currency = Currency::parse(&req.currency)?;
    let success_url = HttpUrl::parse(&req.success_url, "success_url")?;
    let cancel_url = HttpUrl::parse(&req.cancel_url, "cancel_url")?;
    let customer_email = req
        .customer_email
        .as_deref()
        .map(|email| Email::parse(email).map_err(|_| ApiError::InvalidEmail("customer_email".into())))
        .transpose()?;
    if req.description.as_ref().is_some_and(|d| d.chars().count() > 1000) {
        return Err(ApiError::ParameterInvalid {
            param: "description".into(),
            message: "at most 1000 characters".into(),
        });
    }
    let capture_method = req.capture_method.map_or(CaptureMethod::Automatic, CaptureMethod::from);
    let payment_method_types = domain::MethodTypes::parse(req.payment_method_types.as_deref(), currency)?;
    payment_method_types.allow(capture_method)?;
    let new = NewPaymentIntent {
        merchant: key.merchant_id,
        amount,
        currency,
        capture_method,
        success_url,
        cancel_url,
        description: req.description,
        customer_email,
        metadata: Metadata::parse(req.metadata.as_ref())?,
        payment_method_types,
        expires_in: ExpiresIn::parse(req.expires_in)?,
    };
    let answer = |intent: &domain::PaymentIntent| intent_answer(&app.wire, StatusCode::CREATED, intent);
    let intent = app.store.create_payment_intent(new, held.saving(&answer)).await?;
    Ok(held.respond(answer(&intent)))
}

/// Get a payment intent
///
/// The intent as it is now, which is what a server should trust (not a browser redirect). An
/// intent past its deadline reads as `expired`.
#[utoipa::path(
    get, path = "/v1/payment-intents/{payment_intent_id}", tag = "payment_intents", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(("payment_intent_id" = String, Path, description = "The intent's id, `pi_…`.")),
    responses(
        (status = 200, description = "The payment intent.", body = PaymentIntent),
        (status = 400, description = "`parameter_invalid`: not a payment intent id.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such intent for this merchant.", body = ErrorBody),
    )
)]
pub async fn get_payment_intent(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppPath(id): AppPath<String>,
) -> Result<Json<PaymentIntent>, ApiError> {
    let id = intent_id(&id)?;
    let intent = app.store.get_payment_intent(Some(key.merchant_id), &id).await?;
    let now = app.store.now_for(key.merchant_id).await?;
    Ok(Json(PaymentIntent::render(&app.wire, &intent, now, Secret::for_reader(&key))))
}

/// List payment intents
///
/// The merchant's intents, newest first, optionally with one status.
#[utoipa::path(
    get, path = "/v1/payment-intents", tag = "payment_intents", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(PaymentIntentListParams),
    responses(
        (status = 200, description = "A page of payment intents.", body = PaymentIntentList),
        (status = 400, description = "`parameter_invalid` (status, limit), `invalid_starting_after`, `unknown_parameter`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
    )
)]
pub async fn list_payment_intents(
    key: MerchantAccess<Viewer>,
    State(app): State<AppState>,
    AppQuery(params): AppQuery<PaymentIntentListParams>,
) -> Result<Json<PaymentIntentList>, ApiError> {
    let page =
        ListParams { limit: params.limit, starting_after: params.starting_after }.page(PaymentIntentId::parse)?;
    let (rows, has_more) =
        app.store.list_payment_intents(key.merchant_id, params.status.map(Status::from), page).await?;
    let now = app.store.now_for(key.merchant_id).await?;
    Ok(Json(PaymentIntentList {
        data: rows.iter().map(|r| PaymentIntent::render(&app.wire, r, now, Secret::for_reader(&key))).collect(),
        has_more,
    }))
}

/// Capture a payment intent
///
/// Charges an `authorized` intent (created with `capture_method: manual`): all of it, or a
/// smaller `amount`, the rest being released. Appends `payment_intent.succeeded`.
#[utoipa::path(
    post, path = "/v1/payment-intents/{payment_intent_id}/capture", tag = "payment_intents", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(
        ("payment_intent_id" = String, Path, description = "The intent's id, `pi_…`."),
    ),
    request_body(content = CapturePaymentIntentRequest, example = json!({"amount": 750})),
    responses(
        (status = 200, description = "The intent, now `succeeded`.", body = PaymentIntent),
        (status = 400, description = "`invalid_amount` (more than `amount_capturable`), `parameter_invalid`, `unknown_parameter`, `invalid_json`, `invalid_content_type`, `idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: a user token of a viewer; this needs a developer or above.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such intent for this merchant.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`; `clock_advancing`: an advance of the merchant's test clock is running.", body = ErrorBody),
        (status = 422, description = "`invalid_state`: the intent is not `authorized` (or its authorization expired).", body = ErrorBody),
    )
)]
pub async fn capture_payment_intent(
    key: MerchantAccess<Developer>,
    held: Held,
    State(app): State<AppState>,
    AppPath(id): AppPath<String>,
    AppJson(req): AppJson<CapturePaymentIntentRequest>,
) -> Result<Response, ApiError> {
    let id = intent_id(&id)?;
    let amount = req.amount.as_ref().map(|a| Amount::parse(a, "amount")).transpose()?;
    let answer = |done: &Transitioned| intent_answer(&app.wire, StatusCode::OK, &done.intent);
    let transition = Transition::Capture(amount.map(Amount::get));
    let done = app.store.transition(Some(key.merchant_id), &id, &transition, held.saving(&answer)).await?;
    Ok(held.respond(answer(&done)))
}

/// Void a payment intent
///
/// Cancels an intent that is waiting for payment or `authorized` (releasing the hold).
/// Appends `payment_intent.canceled`.
#[utoipa::path(
    post, path = "/v1/payment-intents/{payment_intent_id}/void", tag = "payment_intents", security(("api_key" = []), ("user_token" = [], "kassa_merchant" = [])),
    params(
        ("payment_intent_id" = String, Path, description = "The intent's id, `pi_…`."),
    ),
    responses(
        (status = 200, description = "The intent, now `canceled`.", body = PaymentIntent),
        (status = 400, description = "`parameter_invalid`: not a payment intent id; `idempotency_key_reused`.", body = ErrorBody),
        (status = 401, description = "`missing_credentials`, `invalid_api_key`, `invalid_token`, `token_expired`: no active secret API key or user token.", body = ErrorBody),
        (status = 403, description = "`insufficient_role`: a user token of a viewer; this needs a developer or above.", body = ErrorBody),
        (status = 404, description = "`resource_missing`: no such intent for this merchant.", body = ErrorBody),
        (status = 409, description = "`idempotency_key_in_use`; `clock_advancing`: an advance of the merchant's test clock is running.", body = ErrorBody),
        (status = 422, description = "`invalid_state`: the intent is processing (a debit the bank has), succeeded, canceled, expired or failed.", body = ErrorBody),
    )
)]
pub async fn void_payment_intent(
    key: MerchantAccess<Developer>,
    held: Held,
    State(app): State<AppState>,
    AppPath(id): AppPath<String>,
) -> Result<Response, ApiError> {
    let id = intent_id(&id)?;
    let answer = |done: &Transitioned| intent_answer(&app.wire, StatusCode::OK, &done.intent);
    let done = app.store.transition(Some(key.merchant_id), &id, &Transition::Void, held.saving(&answer)).await?;
    Ok(held.respond(answer(&done)))
}
