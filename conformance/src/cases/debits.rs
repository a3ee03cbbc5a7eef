//! API.md "Charges, authentication and asynchronous methods": the debit methods. A confirm with
//! `sepa_debit` or `au_becs_debit` answers `processing`; the debit settles after the server's
//! settlement delay, `succeeded` or `failed` as the documented test account says. An
//! implementation that settles at once, or never, fails here. The suite waits up to a minute
//! for a settlement, whatever delay the server is configured with.

use std::time::Duration;

use anyhow::{Result, bail, ensure};
use kassa_sdk::types::{ChargeStatus, PaymentIntent, PaymentIntentStatus, PaymentMethodType};
use serde_json::{Value, json};

use super::case;
use super::payments::secret;
use crate::Case;
use crate::ctx::{Ctx, Raw, Shop};

const SEPA_SETTLES: &str = "DE89 3704 0044 0532 0130 00";
const SEPA_FAILS: &str = "DE62 3704 0044 0532 0130 01";

/// How long the suite waits for a debit to settle.
const SETTLEMENT_PATIENCE: Duration = Duration::from_secs(60);

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            waits "debits: a SEPA debit from DE89 3704 0044 0532 0130 00 is processing (a pending charge, payment_intent.processing), then settles to succeeded with a captured charge",
            [("confirm_checkout", 200)],
            sepa_settles
        ),
        case!(
            waits "debits: a SEPA debit from DE62 3704 0044 0532 0130 01 settles to failed, last_payment_error debit_failed / insufficient_funds, a failed charge, payment_intent.payment_failed",
            [],
            sepa_fails
        ),
        case!(
            waits "debits: BECS account 000-000 / 000123456 settles to succeeded and 000-000 / 900123456 to failed",
            [],
            becs_settles_or_fails
        ),
        case!(
            "debits: 400 invalid_iban and invalid_bank_account name the field, a method the intent does not take is 400, none counts an attempt",
            [("confirm_checkout", 400)],
            malformed_accounts
        ),
        case!(
            waits "debits: a processing intent is 422 to confirm again or void; manual capture with a debit method is 400 (param capture_method)",
            [("confirm_checkout", 422), ("void_payment_intent", 422), ("create_payment_intent", 400)],
            processing_refusals
        ),
    ]
}

async fn debit_intent(cx: &Ctx, shop: &Shop, currency: &str, method: &str) -> Result<PaymentIntent> {
    let body = json!({"amount": 1500, "currency": currency, "success_url": "https://s.example/ok",
        "cancel_url": "https://s.example/no", "payment_method_types": [method]});
    let made = cx.post("/v1/payment-intents", Some(&shop.key), &body).await?.expect_status(201)?;
    Ok(serde_json::from_value(made)?)
}

async fn confirm(cx: &Ctx, intent: &PaymentIntent, method: Value) -> Result<Raw> {
    let mut body = method;
    body["client_secret"] = json!(secret(intent)?);
    cx.post(&format!("/v1/checkout/{}/confirm", intent.id), None, &body).await
}

fn sepa(iban: &str) -> Value {
    json!({"sepa_debit": {"iban": iban}})
}

fn becs(account: &str) -> Value {
    json!({"au_becs_debit": {"bsb_number": "000-000", "account_number": account}})
}

/// Confirms the debit and checks what `processing` shows: the answer, the intent, its pending
/// charge and its event.
async fn submit(cx: &Ctx, shop: &Shop, intent: &PaymentIntent, method: Value) -> Result<()> {
    let answer = confirm(cx, intent, method).await?.expect_status(200)?;
    ensure!(answer["status"] == "processing", "a debit must answer processing, not {answer}");
    let redirect = answer["redirect_url"].as_str().unwrap_or_default();
    ensure!(redirect.contains(&format!("payment_intent={}", intent.id)), "the success_url: {redirect}");
    let read = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    // Read at once: a server that settles at once skipped `processing`.
    ensure!(matches!(read.status, PaymentIntentStatus::Processing), "{:?} right after the confirm", read.status);
    ensure!(read.attempts == 1, "{read:?}");
    let charges = shop.sdk.list_charges(None, Some(&intent.id), None).await?.into_inner().data;
    ensure!(
        charges.len() == 1 && matches!(charges[0].status, ChargeStatus::Pending) && !charges[0].captured,
        "{charges:?}"
    );
    ensure!(read.latest_charge.as_deref() == Some(charges[0].id.as_str()), "latest_charge {read:?}");
    Ok(())
}

/// Polls the intent until it leaves `processing`.
async fn settled(shop: &Shop, intent: &PaymentIntent) -> Result<PaymentIntent> {
    let deadline = tokio::time::Instant::now() + SETTLEMENT_PATIENCE;
    loop {
        let read = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
        if !matches!(read.status, PaymentIntentStatus::Processing) {
            return Ok(read);
        }
        if tokio::time::Instant::now() > deadline {
            bail!("still processing after {SETTLEMENT_PATIENCE:?}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn event_types(shop: &Shop, intent: &PaymentIntent) -> Result<Vec<String>> {
    let events = shop.sdk.list_events(None, Some(&intent.id), None, None).await?.into_inner().data;
    Ok(events.iter().rev().map(|e| e.type_.to_string()).collect())
}

async fn expect_succeeded(shop: &Shop, intent: &PaymentIntent) -> Result<()> {
    let paid = settled(shop, intent).await?;
    ensure!(matches!(paid.status, PaymentIntentStatus::Succeeded) && paid.amount_received == 1500, "{paid:?}");
    let charges = shop.sdk.list_charges(None, Some(&intent.id), None).await?.into_inner().data;
    let charge = charges.first();
    ensure!(
        charges.len() == 1 && charge.is_some_and(|c| c.captured && c.amount_captured == 1500 && c.outcome.is_none()),
        "{charges:?}"
    );
    let types = event_types(shop, intent).await?;
    ensure!(
        types == ["payment_intent.created", "payment_intent.processing", "payment_intent.succeeded"],
        "events {types:?}"
    );
    Ok(())
}

async fn expect_failed(shop: &Shop, intent: &PaymentIntent) -> Result<()> {
    let failed = settled(shop, intent).await?;
    ensure!(matches!(failed.status, PaymentIntentStatus::Failed) && failed.amount_received == 0, "{failed:?}");
    let error = failed.last_payment_error.as_ref();
    ensure!(
        error.is_some_and(|e| e.code == "debit_failed" && e.decline_code == "insufficient_funds"),
        "last_payment_error {error:?}"
    );
    let charges = shop.sdk.list_charges(None, Some(&intent.id), None).await?.into_inner().data;
    let outcome = charges.first().and_then(|c| c.outcome.as_ref());
    ensure!(
        charges.len() == 1
            && matches!(charges[0].status, ChargeStatus::Failed)
            && outcome.is_some_and(|o| o.decline_code == "insufficient_funds"),
        "{charges:?}"
    );
    let types = event_types(shop, intent).await?;
    ensure!(
        types == ["payment_intent.created", "payment_intent.processing", "payment_intent.payment_failed"],
        "events {types:?}"
    );
    Ok(())
}

async fn sepa_settles(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = debit_intent(&cx, &shop, "eur", "sepa_debit").await?;
    submit(&cx, &shop, &intent, sepa(SEPA_SETTLES)).await?;
    let read = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    let method = read.payment_method.as_ref();
    ensure!(
        method.is_some_and(|m| m.type_ == PaymentMethodType::SepaDebit
            && m.last4 == "3000"
            && m.bank.as_deref() == Some("DE")
            && m.brand.is_none()),
        "payment_method {method:?}"
    );
    ensure!(!serde_json::to_string(&read)?.contains("370400440532013000"), "the full IBAN came back");
    expect_succeeded(&shop, &intent).await
}

async fn sepa_fails(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = debit_intent(&cx, &shop, "eur", "sepa_debit").await?;
    submit(&cx, &shop, &intent, sepa(SEPA_FAILS)).await?;
    expect_failed(&shop, &intent).await
}

async fn becs_settles_or_fails(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let settles = debit_intent(&cx, &shop, "aud", "au_becs_debit").await?;
    let fails = debit_intent(&cx, &shop, "aud", "au_becs_debit").await?;
    submit(&cx, &shop, &settles, becs("000123456")).await?;
    submit(&cx, &shop, &fails, becs("900123456")).await?;
    let read = shop.sdk.get_payment_intent(&settles.id).await?.into_inner();
    let method = read.payment_method.as_ref();
    ensure!(
        method.is_some_and(|m| m.type_ == PaymentMethodType::AuBecsDebit
            && m.last4 == "3456"
            && m.bank.as_deref() == Some("000-000")),
        "payment_method {method:?}"
    );
    expect_succeeded(&shop, &settles).await?;
    expect_failed(&shop, &fails).await
}

async fn malformed_accounts(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let euro = debit_intent(&cx, &shop, "eur", "sepa_debit").await?;
    let aud = debit_intent(&cx, &shop, "aud", "au_becs_debit").await?;
    let cases = [
        (&euro, sepa("DE89 3704 0044 0532 0130 01"), "invalid_iban", "sepa_debit.iban"),
        (
            &aud,
            json!({"au_becs_debit": {"bsb_number": "12-345", "account_number": "000123456"}}),
            "invalid_bank_account",
            "au_becs_debit.bsb_number",
        ),
        (
            &aud,
            json!({"au_becs_debit": {"bsb_number": "000-000", "account_number": "1234"}}),
            "invalid_bank_account",
            "au_becs_debit.account_number",
        ),
        (&euro, becs("000123456"), "parameter_invalid", "au_becs_debit"),
        (&aud, sepa(SEPA_SETTLES), "parameter_invalid", "sepa_debit"),
    ];
    for (intent, method, code, param) in cases {
        let refused = confirm(&cx, intent, method.clone()).await?.expect_error(400, code)?;
        ensure!(refused["error"]["param"] == param, "{method}: param {}", refused["error"]["param"]);
    }
    for intent in [&euro, &aud] {
        let after = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
        ensure!(matches!(after.status, PaymentIntentStatus::RequiresPaymentMethod) && after.attempts == 0, "{after:?}");
    }
    Ok(())
}

async fn processing_refusals(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = debit_intent(&cx, &shop, "eur", "sepa_debit").await?;
    submit(&cx, &shop, &intent, sepa(SEPA_SETTLES)).await?;
    confirm(&cx, &intent, sepa(SEPA_SETTLES)).await?.expect_error(422, "payment_intent_unexpected_state")?;
    cx.post(&format!("/v1/payment-intents/{}/void", intent.id), Some(&shop.key), &json!({}))
        .await?
        .expect_error(422, "invalid_state")?;
    let manual = json!({"amount": 1000, "currency": "eur", "success_url": "https://s.example/ok",
        "cancel_url": "https://s.example/no", "capture_method": "manual", "payment_method_types": ["card", "sepa_debit"]});
    let refused =
        cx.post("/v1/payment-intents", Some(&shop.key), &manual).await?.expect_error(400, "parameter_invalid")?;
    ensure!(refused["error"]["param"] == "capture_method", "{refused}");
    // Let it settle, so the case leaves nothing behind mid-way.
    settled(&shop, &intent).await?;
    Ok(())
}
