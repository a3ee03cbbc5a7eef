//! API.md "Payment intents", "Hosted checkout", "Test cards", "Idempotency" and the payment
//! events: the quick start, every test card, every documented error, and the guarantees under
//! concurrency (one success among racing confirms; refunds never above what was received).

use std::time::Duration;

use anyhow::{Context as _, Result, bail, ensure};
use kassa_sdk::types::{
    CapturePaymentIntentRequest, Card, ConfirmCheckoutRequest, CreatePaymentIntentRequest, CreateRefundRequest,
    PaymentIntent, PaymentIntentCaptureMethod, PaymentIntentStatus, PaymentMethodType,
};
use serde_json::{Value, json};

use super::case;
use crate::Case;
use crate::ctx::{Ctx, Shop, expect_sdk_error};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "payment intents: 201 creates a requires_payment_method intent with its checkout URL; payment_intent.created is recorded",
            [("create_payment_intent", 201), ("list_events", 200), ("get_event", 200)],
            create_intent
        ),
        case!(
            "payment intents: 400 invalid_amount for 99.99, \"9999\", 0, negatives and over 99999999",
            [("create_payment_intent", 400)],
            invalid_amounts
        ),
        case!(
            "payment intents: 400 invalid_currency, invalid_url, metadata, expires_in, unknown_parameter",
            [("create_payment_intent", 400)],
            invalid_create_fields
        ),
        case!(
            "payment intents: 401 without a credential or with an unknown API key; creating takes an API key, not a user token",
            [
                ("create_payment_intent", 401),
                ("get_payment_intent", 401),
                ("list_payment_intents", 401),
                ("capture_payment_intent", 401),
                ("void_payment_intent", 401),
                ("create_refund", 401),
                ("list_refunds", 401)
            ],
            payments_need_a_key
        ),
        case!(
            "payment intents: payment_method_types defaults to card; sepa_debit takes eur and au_becs_debit aud, another currency is 400 payment_method_unsupported_currency",
            [("create_payment_intent", 201), ("create_payment_intent", 400)],
            payment_method_currencies
        ),
        case!(
            "payment intents: 200 get; 404 for another merchant's; 400 for a malformed id",
            [("get_payment_intent", 200), ("get_payment_intent", 404), ("get_payment_intent", 400)],
            get_intent
        ),
        case!(
            "payment intents: list filters by status and paginates newest first; 400 for a bad filter",
            [("list_payment_intents", 200), ("list_payment_intents", 400)],
            list_intents
        ),
        case!(
            "quick start: 4242 pays the intent, redirects to success_url, and the server sees succeeded",
            [("confirm_checkout", 200), ("get_checkout", 200)],
            quick_start
        ),
        case!(
            "checkout: every declining test card is 402 with its decline_code and network_decline_code",
            [("confirm_checkout", 402)],
            declining_cards
        ),
        case!(
            "checkout: the fifth decline fails the intent; paying it then is 422",
            [("confirm_checkout", 422)],
            fifth_decline_fails
        ),
        case!(
            "checkout: 400 invalid_card_number (Luhn), invalid_expiry, invalid_cvc do not count as attempts",
            [("confirm_checkout", 400)],
            card_validation
        ),
        case!(
            "checkout: 403 invalid_client_secret; 400 without one, or for a malformed id",
            [("confirm_checkout", 403), ("get_checkout", 403), ("get_checkout", 400)],
            client_secret_checks
        ),
        case!(
            "checkout: redirect_url replaces {PAYMENT_INTENT_ID} and {CHECKOUT_SESSION_ID}",
            [],
            redirect_placeholders
        ),
        case!(
            "capture: manual capture of an authorized intent, partial, the rest released; 422 otherwise; 400 over the capturable",
            [
                ("capture_payment_intent", 200),
                ("capture_payment_intent", 422),
                ("capture_payment_intent", 400),
                ("capture_payment_intent", 404)
            ],
            capture
        ),
        case!(
            "void: cancels a waiting or authorized intent; 422 once succeeded; 404 for another merchant's",
            [
                ("void_payment_intent", 200),
                ("void_payment_intent", 422),
                ("void_payment_intent", 404),
                ("void_payment_intent", 400)
            ],
            void
        ),
        case!(
            "refunds: partial refunds add up to at most amount_received (422 refund_exceeds_captured)",
            [("create_refund", 201), ("create_refund", 422), ("list_refunds", 200)],
            refunds
        ),
        case!(
            "refunds: 400 for a bad amount; 404 for another merchant's intent",
            [("create_refund", 400), ("create_refund", 404), ("list_refunds", 404), ("list_refunds", 400)],
            refund_errors
        ),
        case!(
            waits "expiry: past expires_at an intent reads expired at once, paying it is 422 payment_intent_expired, and payment_intent.expired is recorded",
            [],
            expiry
        ),
        case!(
            "idempotency: a retried create is replayed byte for byte and makes one intent; another body is 400 idempotency_key_reused",
            [],
            idempotent_create
        ),
        case!(
            "idempotency: concurrent requests with one key run once; the others are 409 idempotency_key_in_use or replays",
            [
                ("create_payment_intent", 409),
                ("confirm_checkout", 409),
                ("capture_payment_intent", 409),
                ("void_payment_intent", 409),
                ("create_refund", 409)
            ],
            idempotency_in_flight
        ),
        case!("concurrency: 50 concurrent confirms of one intent, exactly one succeeds", [], concurrent_confirms),
        case!("concurrency: 50 concurrent partial refunds never exceed amount_received", [], concurrent_refunds),
    ]
}

pub(super) fn new_intent(amount: i64, manual: bool) -> CreatePaymentIntentRequest {
    CreatePaymentIntentRequest {
        amount,
        currency: "usd".into(),
        success_url: "https://shop.example/thanks".into(),
        cancel_url: "https://shop.example/cart".into(),
        description: None,
        capture_method: manual.then_some(PaymentIntentCaptureMethod::Manual),
        customer_email: None,
        metadata: None,
        expires_in: None,
        payment_method_types: None,
    }
}

fn card(number: &str) -> Card {
    Card { number: number.into(), exp_month: 12, exp_year: 2034, cvc: "123".into(), name: "Conformance".into() }
}

pub(super) async fn create(shop: &Shop, amount: i64, manual: bool) -> Result<PaymentIntent> {
    Ok(shop.sdk.create_payment_intent(&new_intent(amount, manual)).await.context("creating an intent")?.into_inner())
}

pub(super) async fn pay(
    cx: &Ctx,
    intent: &PaymentIntent,
    number: &str,
) -> Result<
    kassa_sdk::ResponseValue<kassa_sdk::types::ConfirmCheckoutResponse>,
    kassa_sdk::Error<kassa_sdk::types::Error>,
> {
    let Ok(client_secret) = secret(intent) else {
        return Err(kassa_sdk::Error::InvalidRequest("the intent came without its client_secret".into()));
    };
    let request = ConfirmCheckoutRequest::with_card(client_secret, card(number));
    cx.sdk().confirm_checkout(&intent.id, &request).await
}

/// The client secret an API key's view of an intent carries (API.md "Payment intents").
pub(super) fn secret(intent: &PaymentIntent) -> Result<&str> {
    intent.client_secret.as_deref().ok_or_else(|| anyhow::anyhow!("{} came without its client_secret", intent.id))
}

fn path(intent: &PaymentIntent, tail: &str) -> String {
    format!("/v1/payment-intents/{}{tail}", intent.id)
}

async fn create_intent(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let mut request = new_intent(1999, false);
    request.metadata = Some([("order_id".to_owned(), "6735".to_owned())].into_iter().collect());
    request.expires_in = Some(600);
    let created = shop.sdk.create_payment_intent(&request).await?;
    ensure!(created.status() == 201, "status {}", created.status());
    let pi = created.into_inner();
    ensure!(pi.id.starts_with("pi_") && pi.id.len() >= 27, "id {}", pi.id);
    ensure!(pi.object == "payment_intent" && matches!(pi.status, PaymentIntentStatus::RequiresPaymentMethod), "{pi:?}");
    ensure!(pi.amount == 1999 && pi.amount_received == 0 && pi.amount_refunded == 0 && pi.currency == "usd", "{pi:?}");
    let client_secret = secret(&pi)?;
    ensure!(client_secret.starts_with(&format!("{}_secret_", pi.id)), "client_secret {client_secret}");
    let checkout_url = pi.checkout_url.as_deref().unwrap_or_default();
    ensure!(
        checkout_url.ends_with(&format!("/checkout/{}?client_secret={client_secret}", pi.id)),
        "checkout_url {checkout_url}"
    );
    ensure!((pi.expires_at - pi.created_at).num_seconds() == 600, "expires_at should be created_at + expires_in");
    ensure!(pi.metadata.get("order_id").map(String::as_str) == Some("6735"), "metadata {:?}", pi.metadata);
    ensure!(pi.payment_method.is_none() && pi.last_payment_error.is_none() && pi.attempts == 0, "{pi:?}");
    let events = shop.sdk.list_events(None, None, None, None).await?.into_inner();
    let event = events.data.first().context("no event")?;
    ensure!(serde_json::to_value(event.type_)? == "payment_intent.created", "first event {:?}", event.type_);
    ensure!(
        matches!(&event.data.object, kassa_sdk::types::EventDataObject::PaymentIntent(object) if object.id == pi.id),
        "event data {:?}",
        event.data.object
    );
    let fetched = shop.sdk.get_event(&event.id).await?.into_inner();
    ensure!(fetched.id == event.id, "GET /v1/events/{{id}}");
    Ok(())
}

async fn invalid_amounts(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    for amount in [json!(99.99), json!("9999"), json!(0), json!(-100), json!(100_000_000), json!(null)] {
        let body = json!({"amount": amount, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
        let error =
            cx.post("/v1/payment-intents", Some(&shop.key), &body).await?.expect_error(400, "invalid_amount")?;
        ensure!(error["error"]["param"] == "amount", "param: {error}");
    }
    Ok(())
}

async fn invalid_create_fields(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let base = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    let many: serde_json::Map<String, Value> = (0..21).map(|i| (format!("k{i}"), json!("v"))).collect();
    for (body, code, param) in [
        (with("currency", json!("xyz")), "invalid_currency", "currency"),
        (with("success_url", json!("not a url")), "invalid_url", "success_url"),
        (with("cancel_url", json!("ftp://s.example")), "invalid_url", "cancel_url"),
        (with("metadata", Value::Object(many)), "parameter_invalid", "metadata"),
        (with("metadata", json!({"n": 1})), "parameter_invalid", "metadata"),
        (with("expires_in", json!(0)), "parameter_invalid", "expires_in"),
        (with("expires_in", json!(86_401)), "parameter_invalid", "expires_in"),
        (with("customer_email", json!("not-an-email")), "invalid_email", "customer_email"),
        (with("tip", json!(5)), "unknown_parameter", "tip"),
    ] {
        cx.post("/v1/payment-intents", Some(&shop.key), &body).await?.expect_param(400, code, param)?;
    }
    // jpy is zero-decimal: 1000 is ¥1000, and valid.
    cx.post("/v1/payment-intents", Some(&shop.key), &with("currency", json!("jpy"))).await?.expect_status(201)?;
    Ok(())
}

async fn payments_need_a_key(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, true).await?;
    let unknown_key = format!("sk_test_{}", "A".repeat(43));
    for token in [None, Some(unknown_key.as_str())] {
        let anon = match token {
            Some(t) => cx.sdk_as(t)?,
            None => cx.sdk(),
        };
        let code = if token.is_some() { "invalid_api_key" } else { "missing_credentials" };
        expect_sdk_error(anon.create_payment_intent(&new_intent(1000, false)).await, 401, code)?;
        expect_sdk_error(anon.get_payment_intent(&intent.id).await, 401, code)?;
        expect_sdk_error(anon.list_payment_intents(None, None, None).await, 401, code)?;
        expect_sdk_error(
            anon.capture_payment_intent(&intent.id, &CapturePaymentIntentRequest { amount: None }).await,
            401,
            code,
        )?;
        expect_sdk_error(anon.void_payment_intent(&intent.id).await, 401, code)?;
        expect_sdk_error(
            anon.create_refund(&intent.id, &CreateRefundRequest { amount: None, reason: None }).await,
            401,
            code,
        )?;
        expect_sdk_error(anon.list_refunds(&intent.id, None, None).await, 401, code)?;
    }
    // Creating an intent is the merchant's server's business: a user token is the wrong kind.
    let user = cx.sdk_as(&shop.merchant.owner.token)?;
    expect_sdk_error(user.create_payment_intent(&new_intent(1000, false)).await, 401, "invalid_api_key")?;
    Ok(())
}

async fn get_intent(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let other = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    let fetched = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(fetched.id == intent.id && fetched.amount == 1000, "{fetched:?}");
    expect_sdk_error(other.sdk.get_payment_intent(&intent.id).await, 404, "resource_missing")?;
    expect_sdk_error(shop.sdk.get_payment_intent("pi_000000000000000000000000").await, 404, "resource_missing")?;
    cx.get("/v1/payment-intents/not-an-intent", Some(&shop.key)).await?.expect_error(400, "parameter_invalid")?;
    Ok(())
}

async fn list_intents(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let a = create(&shop, 1000, false).await?;
    let b = create(&shop, 2000, false).await?;
    let c = create(&shop, 3000, false).await?;
    pay(&cx, &b, "4242424242424242").await?;
    let page = shop.sdk.list_payment_intents(Some(2), None, None).await?.into_inner();
    let ids: Vec<_> = page.data.iter().map(|p| p.id.as_str()).collect();
    ensure!(ids == [c.id.as_str(), b.id.as_str()] && page.has_more, "first page {ids:?}");
    let rest = shop.sdk.list_payment_intents(Some(2), Some(&b.id), None).await?.into_inner();
    ensure!(rest.data.len() == 1 && rest.data[0].id == a.id && !rest.has_more, "second page {:?}", rest.data);
    let succeeded = shop.sdk.list_payment_intents(None, None, Some(PaymentIntentStatus::Succeeded)).await?.into_inner();
    ensure!(succeeded.data.len() == 1 && succeeded.data[0].id == b.id, "status filter {:?}", succeeded.data);
    cx.get("/v1/payment-intents?status=paid", Some(&shop.key)).await?.expect_param(
        400,
        "parameter_invalid",
        "status",
    )?;
    cx.get("/v1/payment-intents?limit=0", Some(&shop.key)).await?.expect_param(400, "parameter_invalid", "limit")?;
    Ok(())
}

async fn quick_start(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    let view = cx.sdk().get_checkout(&intent.id, secret(&intent)?).await?.into_inner();
    ensure!(
        view.amount == 1000 && view.merchant_name == "Conformance Books" && view.attempts_remaining == 5,
        "{view:?}"
    );
    let paid = pay(&cx, &intent, "4242 4242 4242 4242").await?;
    ensure!(paid.status() == 200, "status {}", paid.status());
    let paid = paid.into_inner();
    ensure!(matches!(paid.status, PaymentIntentStatus::Succeeded), "{paid:?}");
    ensure!(
        paid.redirect_url == format!("https://shop.example/thanks?payment_intent={}", intent.id),
        "{}",
        paid.redirect_url
    );
    // The server trusts its own read, not the browser.
    let verified = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(
        matches!(verified.status, PaymentIntentStatus::Succeeded) && verified.amount_received == 1000,
        "{verified:?}"
    );
    let method = verified.payment_method.context("no payment_method")?;
    ensure!(
        method.type_ == PaymentMethodType::Card
            && method.brand.as_deref() == Some("visa")
            && method.last4 == "4242"
            && method.exp_month == Some(12)
            && method.bank.is_none(),
        "{method:?}"
    );
    let raw = cx.get(&path(&intent, ""), Some(&shop.key)).await?;
    ensure!(!raw.text.contains("4242424242424242"), "the card number is returned");
    let events = shop.sdk.list_events(None, None, None, None).await?.into_inner();
    let types: Vec<Value> = events.data.iter().map(|e| serde_json::to_value(e.type_)).collect::<Result<_, _>>()?;
    ensure!(types == [json!("payment_intent.succeeded"), json!("payment_intent.created")], "events {types:?}");
    // 5555 5555 5555 4444 is mastercard.
    let second = create(&shop, 500, false).await?;
    pay(&cx, &second, "5555555555554444").await?;
    let second = shop.sdk.get_payment_intent(&second.id).await?.into_inner();
    ensure!(second.payment_method.and_then(|m| m.brand).as_deref() == Some("mastercard"), "brand");
    Ok(())
}

async fn declining_cards(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    for (number, decline, network) in [
        ("4000 0000 0000 0002", "generic_decline", "05"),
        ("4000 0000 0000 9995", "insufficient_funds", "51"),
        ("4000 0000 0000 0069", "expired_card", "54"),
        ("4000 0000 0000 0127", "incorrect_cvc", "N7"),
        ("4111 1111 1111 1111", "test_mode_live_card", "05"),
    ] {
        let intent = create(&shop, 1000, false).await?;
        let error = expect_sdk_error(pay(&cx, &intent, number).await, 402, "card_declined")?;
        ensure!(serde_json::to_value(error.error.type_)? == "card_error", "type {:?}", error.error.type_);
        ensure!(
            error.error.decline_code.as_deref() == Some(decline),
            "{number}: decline_code {:?}",
            error.error.decline_code
        );
        ensure!(
            error.error.network_decline_code.as_deref() == Some(network),
            "{number}: {:?}",
            error.error.network_decline_code
        );
        ensure!(
            error.error.attempts_remaining == Some(4),
            "{number}: attempts_remaining {:?}",
            error.error.attempts_remaining
        );
        let intent = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
        let last = intent.last_payment_error.context("no last_payment_error")?;
        ensure!(last.decline_code == decline && intent.attempts == 1, "{number}: {last:?}");
        ensure!(matches!(intent.status, PaymentIntentStatus::RequiresPaymentMethod), "a decline leaves it payable");
    }
    let events = shop.sdk.list_events(None, None, None, None).await?.into_inner();
    let failed = events
        .data
        .iter()
        .filter(|e| serde_json::to_value(e.type_).ok() == Some(json!("payment_intent.payment_failed")))
        .count();
    ensure!(failed == 5, "one payment_intent.payment_failed per decline, found {failed}");
    Ok(())
}

async fn fifth_decline_fails(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    for remaining in (0..5).rev() {
        let error = expect_sdk_error(pay(&cx, &intent, "4000000000000002").await, 402, "card_declined")?;
        ensure!(
            error.error.attempts_remaining == Some(remaining),
            "attempts_remaining {:?}",
            error.error.attempts_remaining
        );
    }
    let failed = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(matches!(failed.status, PaymentIntentStatus::Failed) && failed.attempts == 5, "{failed:?}");
    expect_sdk_error(pay(&cx, &intent, "4242424242424242").await, 422, "payment_intent_unexpected_state")?;
    let paid = create(&shop, 1000, false).await?;
    pay(&cx, &paid, "4242424242424242").await?;
    expect_sdk_error(pay(&cx, &paid, "4242424242424242").await, 422, "payment_intent_unexpected_state")?;
    Ok(())
}

async fn card_validation(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    let confirm = format!("/v1/checkout/{}/confirm", intent.id);
    let attempt = |card: Value| json!({"client_secret": intent.client_secret, "card": card});
    for (card, code) in [
        (
            json!({"number": "4242 4242 4242 4241", "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "A"}),
            "invalid_card_number",
        ),
        (
            json!({"number": "1234", "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "A"}),
            "invalid_card_number",
        ),
        (
            json!({"number": "4242424242424242", "exp_month": 13, "exp_year": 2034, "cvc": "123", "name": "A"}),
            "invalid_expiry",
        ),
        (
            json!({"number": "4242424242424242", "exp_month": 1, "exp_year": 2020, "cvc": "123", "name": "A"}),
            "invalid_expiry",
        ),
        (
            json!({"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "12", "name": "A"}),
            "invalid_cvc",
        ),
        (
            json!({"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "abc", "name": "A"}),
            "invalid_cvc",
        ),
    ] {
        cx.post(&confirm, None, &attempt(card)).await?.expect_error(400, code)?;
    }
    let view = cx.sdk().get_checkout(&intent.id, secret(&intent)?).await?.into_inner();
    ensure!(view.attempts_remaining == 5, "validation errors counted as attempts: {view:?}");
    Ok(())
}

async fn client_secret_checks(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    let other = create(&shop, 1000, false).await?;
    expect_sdk_error(cx.sdk().get_checkout(&intent.id, secret(&other)?).await, 403, "invalid_client_secret")?;
    expect_sdk_error(cx.sdk().get_checkout(&intent.id, "pi_x_secret_y").await, 403, "invalid_client_secret")?;
    let request = ConfirmCheckoutRequest::with_card(secret(&other)?, card("4242424242424242"));
    expect_sdk_error(cx.sdk().confirm_checkout(&intent.id, &request).await, 403, "invalid_client_secret")?;
    let untouched = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(matches!(untouched.status, PaymentIntentStatus::RequiresPaymentMethod), "a wrong secret paid the intent");
    cx.get(&format!("/v1/checkout/{}", intent.id), None).await?.expect_param(
        400,
        "parameter_missing",
        "client_secret",
    )?;
    cx.get("/v1/checkout/not-an-intent?client_secret=pi_x_secret_y", None).await?.expect_param(
        400,
        "parameter_invalid",
        "payment_intent_id",
    )?;
    Ok(())
}

async fn redirect_placeholders(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let mut request = new_intent(1000, false);
    request.success_url = "https://shop.example/o/{PAYMENT_INTENT_ID}?s={CHECKOUT_SESSION_ID}".into();
    let intent = shop.sdk.create_payment_intent(&request).await?.into_inner();
    let paid = pay(&cx, &intent, "4242424242424242").await?.into_inner();
    let id = &intent.id;
    ensure!(
        paid.redirect_url == format!("https://shop.example/o/{id}?s={id}&payment_intent={id}"),
        "{}",
        paid.redirect_url
    );
    Ok(())
}

async fn capture(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let other = cx.shop().await?;
    let intent = create(&shop, 1000, true).await?;
    let paid = pay(&cx, &intent, "4242424242424242").await?.into_inner();
    ensure!(matches!(paid.status, PaymentIntentStatus::Authorized), "manual capture authorizes: {paid:?}");
    let authorized = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(authorized.amount_capturable == 1000 && authorized.amount_received == 0, "{authorized:?}");
    let too_much = CapturePaymentIntentRequest { amount: Some(1001) };
    expect_sdk_error(shop.sdk.capture_payment_intent(&intent.id, &too_much).await, 400, "invalid_amount")?;
    expect_sdk_error(other.sdk.capture_payment_intent(&intent.id, &too_much).await, 404, "resource_missing")?;
    let partial = CapturePaymentIntentRequest { amount: Some(750) };
    let captured = shop.sdk.capture_payment_intent(&intent.id, &partial).await?.into_inner();
    ensure!(matches!(captured.status, PaymentIntentStatus::Succeeded), "{captured:?}");
    ensure!(captured.amount_received == 750 && captured.amount_capturable == 0, "the rest is released: {captured:?}");
    expect_sdk_error(shop.sdk.capture_payment_intent(&intent.id, &partial).await, 422, "invalid_state")?;
    let automatic = create(&shop, 1000, false).await?;
    expect_sdk_error(shop.sdk.capture_payment_intent(&automatic.id, &partial).await, 422, "invalid_state")?;
    Ok(())
}

async fn void(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let other = cx.shop().await?;
    let waiting = create(&shop, 1000, false).await?;
    expect_sdk_error(other.sdk.void_payment_intent(&waiting.id).await, 404, "resource_missing")?;
    let voided = shop.sdk.void_payment_intent(&waiting.id).await?.into_inner();
    ensure!(matches!(voided.status, PaymentIntentStatus::Canceled), "{voided:?}");
    expect_sdk_error(pay(&cx, &waiting, "4242424242424242").await, 422, "payment_intent_unexpected_state")?;
    let authorized = create(&shop, 1000, true).await?;
    pay(&cx, &authorized, "4242424242424242").await?;
    let released = shop.sdk.void_payment_intent(&authorized.id).await?.into_inner();
    ensure!(
        matches!(released.status, PaymentIntentStatus::Canceled) && released.amount_capturable == 0,
        "{released:?}"
    );
    let succeeded = create(&shop, 1000, false).await?;
    pay(&cx, &succeeded, "4242424242424242").await?;
    expect_sdk_error(shop.sdk.void_payment_intent(&succeeded.id).await, 422, "invalid_state")?;
    cx.post("/v1/payment-intents/nope/void", Some(&shop.key), &json!({}))
        .await?
        .expect_error(400, "parameter_invalid")?;
    Ok(())
}

async fn refunds(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    let early = CreateRefundRequest { amount: Some(100), reason: None };
    expect_sdk_error(shop.sdk.create_refund(&intent.id, &early).await, 422, "invalid_state")?;
    pay(&cx, &intent, "4242424242424242").await?;
    let first = shop.sdk.create_refund(&intent.id, &early).await?;
    ensure!(first.status() == 201, "status {}", first.status());
    let first = first.into_inner();
    ensure!(first.id.starts_with("re_") && first.amount == 100 && first.payment_intent == intent.id, "{first:?}");
    let too_much = CreateRefundRequest { amount: Some(901), reason: None };
    expect_sdk_error(shop.sdk.create_refund(&intent.id, &too_much).await, 422, "refund_exceeds_captured")?;
    let rest =
        shop.sdk.create_refund(&intent.id, &CreateRefundRequest { amount: None, reason: None }).await?.into_inner();
    ensure!(rest.amount == 900, "a refund without an amount refunds what remains: {rest:?}");
    expect_sdk_error(shop.sdk.create_refund(&intent.id, &early).await, 422, "refund_exceeds_captured")?;
    let after = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(matches!(after.status, PaymentIntentStatus::Succeeded) && after.amount_refunded == 1000, "{after:?}");
    let list = shop.sdk.list_refunds(&intent.id, None, None).await?.into_inner();
    let ids: Vec<_> = list.data.iter().map(|r| r.id.as_str()).collect();
    ensure!(ids == [rest.id.as_str(), first.id.as_str()], "newest first: {ids:?}");
    let events = shop.sdk.list_events(Some(100), None, None, None).await?.into_inner();
    let refunds =
        events.data.iter().filter(|e| serde_json::to_value(e.type_).ok() == Some(json!("refund.created"))).count();
    ensure!(refunds == 2, "one refund.created per refund, found {refunds}");
    Ok(())
}

async fn refund_errors(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let other = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    pay(&cx, &intent, "4242424242424242").await?;
    for amount in [json!(0), json!(1.5), json!("100")] {
        cx.post(&path(&intent, "/refunds"), Some(&shop.key), &json!({"amount": amount}))
            .await?
            .expect_error(400, "invalid_amount")?;
    }
    cx.post(&path(&intent, "/refunds"), Some(&shop.key), &json!({"reason": "bored"}))
        .await?
        .expect_error(400, "parameter_invalid")?;
    expect_sdk_error(
        other.sdk.create_refund(&intent.id, &CreateRefundRequest { amount: None, reason: None }).await,
        404,
        "resource_missing",
    )?;
    expect_sdk_error(other.sdk.list_refunds(&intent.id, None, None).await, 404, "resource_missing")?;
    cx.get(&path(&intent, "/refunds?limit=500"), Some(&shop.key)).await?.expect_param(
        400,
        "parameter_invalid",
        "limit",
    )?;
    Ok(())
}

async fn expiry(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let mut request = new_intent(1000, false);
    request.expires_in = Some(1);
    let intent = shop.sdk.create_payment_intent(&request).await?.into_inner();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let read = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(matches!(read.status, PaymentIntentStatus::Expired), "past expires_at, status {:?}", read.status);
    let view = cx.sdk().get_checkout(&intent.id, secret(&intent)?).await?.into_inner();
    ensure!(matches!(view.status, PaymentIntentStatus::Expired), "checkout view {:?}", view.status);
    expect_sdk_error(pay(&cx, &intent, "4242424242424242").await, 422, "payment_intent_expired")?;
    expect_sdk_error(shop.sdk.void_payment_intent(&intent.id).await, 422, "invalid_state")?;
    // The expiry is recorded as an event, soon.
    for _ in 0..50 {
        let events = shop.sdk.list_events(None, None, None, None).await?.into_inner();
        if events.data.iter().any(|e| serde_json::to_value(e.type_).ok() == Some(json!("payment_intent.expired"))) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("no payment_intent.expired event within 5 s of the deadline")
}

async fn idempotent_create(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let other = cx.shop().await?;
    let key = format!("order-{}", uuid::Uuid::new_v4());
    let body = json!({"amount": 4200, "currency": "eur", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    let first = cx.post_idempotent("/v1/payment-intents", Some(&shop.key), &key, &body).await?;
    first.expect_status(201)?;
    ensure!(first.headers.get("idempotent-replayed").is_none(), "the first answer is not a replay");
    let again = cx.post_idempotent("/v1/payment-intents", Some(&shop.key), &key, &body).await?;
    ensure!(
        again.status == first.status && again.text == first.text,
        "the replay differs:\n{}\n{}",
        first.text,
        again.text
    );
    ensure!(
        again.headers.get("idempotent-replayed").and_then(|v| v.to_str().ok()) == Some("true"),
        "no Idempotent-Replayed: true"
    );
    let list = shop.sdk.list_payment_intents(None, None, None).await?.into_inner();
    ensure!(list.data.len() == 1, "a retried create made {} intents", list.data.len());
    let changed = json!({"amount": 4300, "currency": "eur", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    cx.post_idempotent("/v1/payment-intents", Some(&shop.key), &key, &changed)
        .await?
        .expect_error(400, "idempotency_key_reused")?;
    // Keys are scoped per credential: another merchant's same key is a new request.
    let theirs = cx.post_idempotent("/v1/payment-intents", Some(&other.key), &key, &body).await?;
    theirs.expect_status(201)?;
    ensure!(theirs.text != first.text, "another credential got this credential's replay");
    Ok(())
}

/// Each round, `setup` makes a fresh target (path and body); 12 identical requests with one
/// key then go at once. Every answer must be the one result (`success`), a replay of it, or
/// `409 idempotency_key_in_use`; rounds repeat until a 409 is seen.
pub(super) async fn race_one_key<F, Fut>(cx: &Ctx, token: Option<&str>, success: u16, setup: F) -> Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(String, Value)>>,
{
    for _ in 0..10 {
        let (path, body) = setup().await?;
        let key = format!("race-{}", uuid::Uuid::new_v4());
        let answers = futures::future::join_all((0..12).map(|_| cx.post_idempotent(&path, token, &key, &body))).await;
        let answers = answers.into_iter().collect::<Result<Vec<_>>>()?;
        let mut bodies = Vec::new();
        let mut in_use = false;
        for answer in &answers {
            match answer.status.as_u16() {
                409 => {
                    answer.expect_error(409, "idempotency_key_in_use")?;
                    in_use = true;
                }
                s if s == success => bodies.push(answer.text.clone()),
                _ => bail!("{path}: unexpected {} {}", answer.status, answer.text),
            }
        }
        ensure!(!bodies.is_empty(), "{path}: no request with the key ran");
        ensure!(bodies.windows(2).all(|w| w[0] == w[1]), "{path}: one key gave different answers");
        if in_use {
            return Ok(());
        }
    }
    bail!("10 rounds of 12 concurrent requests with one key never met 409 idempotency_key_in_use")
}

async fn idempotency_in_flight(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let token = Some(shop.key.as_str());
    let new = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    race_one_key(&cx, token, 201, || async { Ok(("/v1/payment-intents".to_owned(), new.clone())) }).await?;
    race_one_key(&cx, None, 200, || async {
        let intent = create(&shop, 1000, false).await?;
        let confirm = json!({"client_secret": intent.client_secret, "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "A"}});
        Ok((format!("/v1/checkout/{}/confirm", intent.id), confirm))
    })
    .await?;
    race_one_key(&cx, token, 200, || async {
        let intent = create(&shop, 1000, true).await?;
        pay(&cx, &intent, "4242424242424242").await?;
        Ok((path(&intent, "/capture"), json!({"amount": 100})))
    })
    .await?;
    race_one_key(&cx, token, 200, || async { Ok((path(&create(&shop, 1000, false).await?, "/void"), json!({}))) })
        .await?;
    race_one_key(&cx, token, 201, || async {
        let intent = create(&shop, 1000, false).await?;
        pay(&cx, &intent, "4242424242424242").await?;
        Ok((path(&intent, "/refunds"), json!({"amount": 10})))
    })
    .await?;
    // However many rounds ran, one key made one intent.
    let intents = shop.sdk.list_payment_intents(Some(100), None, None).await?.into_inner().data;
    let created_by_race = intents
        .iter()
        .filter(|i| {
            i.payment_method.is_none()
                && i.amount_refunded == 0
                && matches!(i.status, PaymentIntentStatus::RequiresPaymentMethod)
        })
        .count();
    ensure!(created_by_race <= 10, "{created_by_race} intents from at most 10 keys");
    Ok(())
}

async fn concurrent_confirms(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    let answers = futures::future::join_all((0..50).map(|_| pay(&cx, &intent, "4242424242424242"))).await;
    let mut approved = 0;
    for answer in answers {
        match answer {
            Ok(ok) if ok.status() == 200 => approved += 1,
            other => {
                expect_sdk_error(other, 422, "payment_intent_unexpected_state")?;
            }
        }
    }
    ensure!(approved == 1, "{approved} of 50 concurrent confirms succeeded");
    let events = shop.sdk.list_events(Some(100), None, None, None).await?.into_inner();
    let succeeded = events
        .data
        .iter()
        .filter(|e| serde_json::to_value(e.type_).ok() == Some(json!("payment_intent.succeeded")))
        .count();
    ensure!(succeeded == 1, "{succeeded} payment_intent.succeeded events");
    Ok(())
}

async fn concurrent_refunds(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, false).await?;
    pay(&cx, &intent, "4242424242424242").await?;
    let request = CreateRefundRequest { amount: Some(70), reason: None };
    let answers = futures::future::join_all((0..50).map(|_| shop.sdk.create_refund(&intent.id, &request))).await;
    let mut refunded = 0;
    for answer in answers {
        match answer {
            Ok(ok) => refunded += ok.into_inner().amount,
            other => {
                expect_sdk_error(other, 422, "refund_exceeds_captured")?;
            }
        }
    }
    ensure!(refunded == 980, "14 refunds of 70 fit in 1000, refunded {refunded}");
    let after = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(after.amount_refunded == refunded && after.amount_refunded <= after.amount_received, "{after:?}");
    Ok(())
}

async fn payment_method_currencies(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let key = Some(shop.key.as_str());
    let base = |currency: &str, methods: Value| {
        json!({"amount": 1000, "currency": currency, "success_url": "https://s.example/ok",
            "cancel_url": "https://s.example/no", "payment_method_types": methods})
    };
    let card = create(&shop, 1000, false).await?;
    ensure!(card.payment_method_types.iter().map(ToString::to_string).collect::<Vec<_>>() == ["card"], "{card:?}");
    for (currency, method) in [("eur", "sepa_debit"), ("aud", "au_becs_debit")] {
        let made =
            cx.post("/v1/payment-intents", key, &base(currency, json!(["card", method]))).await?.expect_status(201)?;
        ensure!(made["payment_method_types"] == json!(["card", method]), "{made}");
        let other = if currency == "eur" { "aud" } else { "eur" };
        let refused = cx
            .post("/v1/payment-intents", key, &base(other, json!([method])))
            .await?
            .expect_error(400, "payment_method_unsupported_currency")?;
        ensure!(refused["error"]["param"] == "payment_method_types", "{refused}");
        let message = refused["error"]["message"].as_str().unwrap_or_default();
        ensure!(message.contains(currency), "the error names the currency {method} needs: {message}");
    }
    Ok(())
}
