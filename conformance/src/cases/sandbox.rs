//! API.md "Sandbox controls": `Kassa-Simulate` and the reset. The `sandbox` group: a production
//! implementation of the contract need not have them, and `--skip sandbox` leaves them out.

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use reqwest::Method;
use serde_json::{Value, json};

use super::case;
use super::payments::{create, pay, race_one_key};
use crate::Case;
use crate::ctx::{Ctx, Raw, Shop};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "sandbox: Kassa-Simulate status=500, 429 and 503 answer internal_error, rate_limited and service_unavailable (Retry-After on 429 and 503) and change nothing",
            [],
            simulated_errors
        ),
        case!(
            "sandbox: Kassa-Simulate status=500; after_commit keeps the change, and the retry with the same Idempotency-Key is replayed the answer: one intent",
            [],
            after_commit
        ),
        case!(
            "sandbox: Kassa-Simulate delay_ms waits, then runs the request; a malformed header is 400 (param Kassa-Simulate); without a credential it is 401 first",
            [],
            delay_malformed_and_credentials
        ),
        case!(
            "sandbox: reset clears the merchant's intents, charges, events and answered idempotency keys; its API key and other merchants stay; 401 without an API key; its own Idempotency-Key is 409 in flight, 400 reused",
            [("reset_sandbox", 200), ("reset_sandbox", 401), ("reset_sandbox", 409), ("reset_sandbox", 400)],
            reset
        ),
    ]
}

fn intent_body() -> Value {
    json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"})
}

async fn create_simulated(cx: &Ctx, shop: &Shop, simulate: &str, idempotency_key: Option<&str>) -> Result<Raw> {
    let mut headers = vec![("kassa-simulate", simulate)];
    if let Some(key) = idempotency_key {
        headers.push(("idempotency-key", key));
    }
    cx.with_headers(Method::POST, "/v1/payment-intents", Some(&shop.key), &headers, Some(&intent_body())).await
}

async fn intent_count(shop: &Shop) -> Result<usize> {
    Ok(shop.sdk.list_payment_intents(None, None, None).await?.into_inner().data.len())
}

async fn simulated_errors(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    for (simulate, status, kind, code, retry_after) in [
        ("status=500", 500, "api_error", "internal_error", None),
        ("status=429", 429, "rate_limit_error", "rate_limited", Some("1")),
        ("status=503", 503, "api_error", "service_unavailable", Some("1")),
    ] {
        let raw = create_simulated(&cx, &shop, simulate, None).await?;
        let body = raw.expect_error(status, code)?;
        ensure!(body["error"]["type"] == kind, "{simulate}: type {}", body["error"]["type"]);
        let header = raw.headers.get("retry-after").and_then(|v| v.to_str().ok());
        ensure!(header == retry_after, "{simulate}: Retry-After {header:?}");
    }
    ensure!(intent_count(&shop).await? == 0, "a simulated error before the request ran changed something");
    Ok(())
}

async fn after_commit(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let key = format!("after-commit-{}", shop.merchant.id);
    create_simulated(&cx, &shop, "status=500; after_commit", Some(&key)).await?.expect_error(500, "internal_error")?;
    ensure!(intent_count(&shop).await? == 1, "after_commit made no change");
    let retried = cx.post_idempotent("/v1/payment-intents", Some(&shop.key), &key, &intent_body()).await?;
    let replayed = retried.headers.get("idempotent-replayed").and_then(|v| v.to_str().ok());
    ensure!(replayed == Some("true"), "the retry was not a replay: {}", retried.status);
    retried.expect_status(201)?;
    ensure!(intent_count(&shop).await? == 1, "the retry made a second intent");
    Ok(())
}

async fn delay_malformed_and_credentials(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let started = Instant::now();
    create_simulated(&cx, &shop, "delay_ms=200", None).await?.expect_status(201)?;
    ensure!(started.elapsed() >= Duration::from_millis(200), "answered before the delay");
    for malformed in ["status=418", "after_commit", "delay_ms=600000", "chaos=1"] {
        let refused = create_simulated(&cx, &shop, malformed, None).await?.expect_error(400, "parameter_invalid")?;
        ensure!(refused["error"]["param"] == "Kassa-Simulate", "{malformed}: param {}", refused["error"]["param"]);
    }
    let headers = [("kassa-simulate", "status=500")];
    let body = intent_body();
    let anonymous = cx.with_headers(Method::POST, "/v1/payment-intents", None, &headers, Some(&body)).await?;
    ensure!(anonymous.status == 401, "without a credential: {}", anonymous.status);
    let forged =
        cx.with_headers(Method::POST, "/v1/payment-intents", Some("sk_test_forged"), &headers, Some(&body)).await?;
    ensure!(forged.status == 401, "with a forged key: {}", forged.status);
    Ok(())
}

async fn reset(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let other = cx.shop().await?;
    let theirs = create(&other, 500, false).await?;
    let intent = create(&shop, 1000, false).await?;
    pay(&cx, &intent, "4242424242424242").await?;
    let key = format!("before-reset-{}", shop.merchant.id);
    cx.post_idempotent("/v1/payment-intents", Some(&shop.key), &key, &intent_body()).await?.expect_status(201)?;

    let cleared = cx.post("/v1/test-helpers/reset", Some(&shop.key), &json!({})).await?.expect_status(200)?;
    ensure!(cleared["payment_intents"] == 2, "{cleared}");
    ensure!(intent_count(&shop).await? == 0, "intents remain");
    let charges = shop.sdk.list_charges(None, None, None).await?.into_inner().data;
    ensure!(charges.is_empty(), "charges remain: {charges:?}");
    let events = shop.sdk.list_events(None, None, None, None).await?.into_inner().data;
    ensure!(events.is_empty(), "events remain: {events:?}");
    // The key works still, and its idempotency key is forgotten: another body runs afresh.
    let mut other_body = intent_body();
    other_body["amount"] = json!(1200);
    let again = cx.post_idempotent("/v1/payment-intents", Some(&shop.key), &key, &other_body).await?;
    ensure!(again.headers.get("idempotent-replayed").is_none(), "a replay after the reset");
    again.expect_status(201)?;
    ensure!(other.sdk.get_payment_intent(&theirs.id).await.is_ok(), "another merchant's intent went too");
    let user = cx.post("/v1/test-helpers/reset", Some(&shop.merchant.owner.token), &json!({})).await?;
    user.expect_error(401, "invalid_api_key")?;
    cx.post("/v1/test-helpers/reset", None, &json!({})).await?.expect_error(401, "missing_credentials")?;
    // A reset is a POST like any other: one key runs it once.
    let token = Some(shop.key.as_str());
    race_one_key(&cx, token, 200, || async { Ok(("/v1/test-helpers/reset".to_owned(), json!({}))) }).await?;
    let key = format!("reset-{}", shop.merchant.id);
    cx.post_idempotent("/v1/test-helpers/reset", token, &key, &json!({})).await?.expect_status(200)?;
    cx.post_idempotent("/v1/test-helpers/reset", token, &key, &json!({"again": true}))
        .await?
        .expect_error(400, "idempotency_key_reused")?;
    Ok(())
}
