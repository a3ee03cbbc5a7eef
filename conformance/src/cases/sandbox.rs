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
        case!(
            "sandbox: a frozen clock advanced past expires_at expires the intent, with payment_intent.expired stamped at its expires_at; the schedule and next_due_at name it first",
            [("freeze_clock", 200), ("advance_clock", 200), ("get_clock", 200), ("get_schedule", 200)],
            clock_expires_an_intent
        ),
        case!(
            "sandbox: advancing 8 days lapses an authorization (authorization_expiry); capturing it then is 422",
            [],
            clock_lapses_an_authorization
        ),
        case!(
            "sandbox: a debit settles on advance {next: true}, and the clock stands at its settlement time",
            [],
            clock_settles_a_debit
        ),
        case!(
            "sandbox: the clock only moves forward (400 clock_backwards), takes exactly one target, resumes from where it stands, and needs an API key",
            [
                ("freeze_clock", 400),
                ("advance_clock", 400),
                ("resume_clock", 200),
                ("resume_clock", 400),
                ("get_clock", 401),
                ("freeze_clock", 401),
                ("advance_clock", 401),
                ("resume_clock", 401),
                ("get_schedule", 401),
            ],
            clock_refusals
        ),
        case!(
            "sandbox: one long advance makes every scheduled retry to a failing receiver, each at its due time by the clock, then the delivery has failed",
            [],
            clock_plays_the_retry_ladder
        ),
        case!(
            "sandbox: while an advance runs, the merchant's writes are 409 clock_advancing: create, capture, void, refund, pay, authenticate, freeze, advance, resume and reset",
            [
                ("create_payment_intent", 409),
                ("capture_payment_intent", 409),
                ("void_payment_intent", 409),
                ("create_refund", 409),
                ("confirm_checkout", 409),
                ("authenticate_checkout", 409),
                ("freeze_clock", 409),
                ("advance_clock", 409),
                ("resume_clock", 409),
                ("reset_sandbox", 409),
            ],
            writes_wait_for_an_advance
        ),
        case!(
            "sandbox: freeze, advance and resume are POSTs like any other: one Idempotency-Key runs once (409 idempotency_key_in_use in flight)",
            [("freeze_clock", 409), ("advance_clock", 409), ("resume_clock", 409)],
            clock_keys
        ),
    ]
}

fn instant(value: &Value) -> Result<chrono::DateTime<chrono::Utc>> {
    Ok(value.as_str().ok_or_else(|| anyhow::anyhow!("not a time: {value}"))?.parse()?)
}

async fn clock(cx: &Ctx, shop: &Shop, action: &str, body: Value) -> Result<Raw> {
    cx.post(&format!("/v1/test-helpers/clock/{action}"), Some(&shop.key), &body).await
}

async fn clock_expires_an_intent(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let frozen = clock(&cx, &shop, "freeze", json!({})).await?.expect_status(200)?;
    ensure!(frozen["mode"] == "frozen" && frozen["object"] == "test_helpers.clock", "{frozen}");
    let intent = create(&shop, 1000, false).await?;
    ensure!(intent.created_at == instant(&frozen["now"])?, "created_at {} is not the frozen now", intent.created_at);
    let read = cx.get("/v1/test-helpers/clock", Some(&shop.key)).await?.expect_status(200)?;
    ensure!(instant(&read["next_due_at"])? == intent.expires_at, "next_due_at {read}");
    let schedule = cx.get("/v1/test-helpers/schedule", Some(&shop.key)).await?.expect_status(200)?;
    let first = &schedule["data"][0];
    ensure!(first["kind"] == "payment_intent_expiry" && first["object"] == intent.id.as_str(), "{schedule}");
    let to = (intent.expires_at + chrono::TimeDelta::seconds(1)).to_rfc3339();
    let advanced = clock(&cx, &shop, "advance", json!({"to": to})).await?.expect_status(200)?;
    let ran = advanced["ran"].as_array().cloned().unwrap_or_default();
    ensure!(ran.len() == 1 && ran[0]["kind"] == "payment_intent_expiry", "ran {ran:?}");
    ensure!(instant(&advanced["clock"]["now"])? == instant(&json!(to))?, "{advanced}");
    let expired = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(matches!(expired.status, kassa_sdk::types::PaymentIntentStatus::Expired), "{:?}", expired.status);
    let events = shop.sdk.list_events(None, Some(&intent.id), None, None).await?.into_inner().data;
    let last = events.first().ok_or_else(|| anyhow::anyhow!("no events"))?;
    ensure!(last.type_.to_string() == "payment_intent.expired", "{:?}", last.type_);
    ensure!(last.created_at == intent.expires_at, "the event is stamped {} not {}", last.created_at, intent.expires_at);
    Ok(())
}

async fn clock_lapses_an_authorization(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = create(&shop, 1000, true).await?;
    pay(&cx, &intent, "4242424242424242").await?;
    let advanced = clock(&cx, &shop, "advance", json!({"by": 8 * 86_400})).await?.expect_status(200)?;
    let kinds: Vec<&str> =
        advanced["ran"].as_array().into_iter().flatten().filter_map(|r| r["kind"].as_str()).collect();
    ensure!(kinds == ["authorization_expiry"], "ran {kinds:?}");
    let lapsed = shop.sdk.get_payment_intent(&intent.id).await?.into_inner();
    ensure!(
        matches!(lapsed.status, kassa_sdk::types::PaymentIntentStatus::Expired) && lapsed.amount_capturable == 0,
        "{lapsed:?}"
    );
    cx.post(&format!("/v1/payment-intents/{}/capture", intent.id), Some(&shop.key), &json!({}))
        .await?
        .expect_error(422, "invalid_state")?;
    Ok(())
}

async fn clock_settles_a_debit(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    clock(&cx, &shop, "freeze", json!({})).await?.expect_status(200)?;
    let body = json!({"amount": 1500, "currency": "eur", "success_url": "https://s.example/ok",
        "cancel_url": "https://s.example/no", "payment_method_types": ["sepa_debit"]});
    let intent = cx.post("/v1/payment-intents", Some(&shop.key), &body).await?.expect_status(201)?;
    let id = intent["id"].as_str().unwrap_or_default();
    let confirm = json!({"client_secret": intent["client_secret"], "sepa_debit": {"iban": "DE89370400440532013000"}});
    let answer = cx.post(&format!("/v1/checkout/{id}/confirm"), None, &confirm).await?.expect_status(200)?;
    ensure!(answer["status"] == "processing", "{answer}");
    // Frozen, it stays processing however long one waits.
    let schedule = cx.get("/v1/test-helpers/schedule", Some(&shop.key)).await?.expect_status(200)?;
    let due = schedule["data"].as_array().into_iter().flatten().find(|w| w["kind"] == "debit_settlement");
    let due = due.ok_or_else(|| anyhow::anyhow!("no debit_settlement in {schedule}"))?.clone();
    let next = clock(&cx, &shop, "advance", json!({"next": true})).await?.expect_status(200)?;
    ensure!(next["ran"][0]["object"] == id && next["clock"]["now"] == due["due_at"], "{next}");
    let read = cx.get(&format!("/v1/payment-intents/{id}"), Some(&shop.key)).await?.expect_status(200)?;
    ensure!(read["status"] == "succeeded", "{}", read["status"]);
    Ok(())
}

async fn clock_refusals(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let frozen = clock(&cx, &shop, "freeze", json!({})).await?.expect_status(200)?;
    let past = (instant(&frozen["now"])? - chrono::TimeDelta::seconds(1)).to_rfc3339();
    clock(&cx, &shop, "freeze", json!({"at": past})).await?.expect_error(400, "clock_backwards")?;
    clock(&cx, &shop, "advance", json!({"to": past})).await?.expect_error(400, "clock_backwards")?;
    clock(&cx, &shop, "advance", json!({})).await?.expect_error(400, "parameter_missing")?;
    clock(&cx, &shop, "advance", json!({"by": 60, "next": true})).await?.expect_error(400, "parameter_invalid")?;
    clock(&cx, &shop, "freeze", json!({"at": "yesterday"})).await?.expect_param(400, "parameter_invalid", "at")?;
    let resumed = clock(&cx, &shop, "resume", json!({})).await?.expect_status(200)?;
    ensure!(resumed["mode"] == "real" && instant(&resumed["now"])? >= instant(&frozen["now"])?, "{resumed}");
    let key = format!("resume-{}", shop.merchant.id);
    let path = "/v1/test-helpers/clock/resume";
    cx.post_idempotent(path, Some(&shop.key), &key, &json!({})).await?.expect_status(200)?;
    cx.post_idempotent(path, Some(&shop.key), &key, &json!({"again": true}))
        .await?
        .expect_error(400, "idempotency_key_reused")?;
    for path in ["/v1/test-helpers/clock", "/v1/test-helpers/schedule"] {
        cx.get(path, None).await?.expect_error(401, "missing_credentials")?;
    }
    for action in ["freeze", "advance", "resume"] {
        cx.post(&format!("/v1/test-helpers/clock/{action}"), None, &json!({}))
            .await?
            .expect_error(401, "missing_credentials")?;
    }
    Ok(())
}

async fn clock_keys(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let token = Some(shop.key.as_str());
    race_one_key(&cx, token, 200, || async { Ok(("/v1/test-helpers/clock/freeze".to_owned(), json!({}))) }).await?;
    race_one_key(&cx, token, 200, || async { Ok(("/v1/test-helpers/clock/advance".to_owned(), json!({"by": 1}))) })
        .await?;
    race_one_key(&cx, token, 200, || async { Ok(("/v1/test-helpers/clock/resume".to_owned(), json!({}))) }).await?;
    Ok(())
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

/// An advance is made to stand still: the retry of a failed delivery falls due within it, and
/// the suite's receiver holds that attempt until every write has been refused.
async fn writes_wait_for_an_advance(cx: Ctx) -> Result<()> {
    let receiver = crate::receiver::Receiver::start().await?;
    let (shop, _) = super::webhooks::hooked_shop(&cx, &receiver.url).await?;
    clock(&cx, &shop, "freeze", json!({})).await?.expect_status(200)?;
    // What each write would change, made before the advance.
    let authorized = create(&shop, 1000, true).await?;
    pay(&cx, &authorized, "4242424242424242").await?;
    let paid = create(&shop, 1000, false).await?;
    pay(&cx, &paid, "4242424242424242").await?;
    let waiting = create(&shop, 1000, false).await?;
    let challenged = create(&shop, 1000, false).await?;
    pay(&cx, &challenged, "4000002760003184").await?;
    // Every event so far delivered; then one whose first attempt fails, so its retry is due in
    // the advance.
    let events = shop.sdk.list_events(Some(100), None, None, None).await?.into_inner().data.len();
    receiver.wait_arrived(events, Duration::from_secs(15)).await?;
    receiver.answer_next(500, Duration::ZERO);
    let release = receiver.hold_next(200);
    let failing = create(&shop, 1000, false).await?;
    let event = shop.sdk.list_events(None, Some(&failing.id), None, None).await?.into_inner().data;
    let event = event.first().ok_or_else(|| anyhow::anyhow!("no event for {}", failing.id))?.id.clone();
    let deliveries = format!("/v1/events/{event}/deliveries");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let listed = cx.get(&deliveries, Some(&shop.key)).await?.expect_status(200)?;
        if listed["data"][0]["next_attempt_at"].is_string() {
            break;
        }
        ensure!(Instant::now() < deadline, "no retry was scheduled for {event}: {listed}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let advance = {
        let (cx, key) = (cx.clone(), shop.key.clone());
        tokio::spawn(async move { cx.post("/v1/test-helpers/clock/advance", Some(&key), &json!({"by": 60})).await })
    };
    receiver.wait_arrived(events + 2, Duration::from_secs(15)).await?;
    let secret = |intent: &kassa_sdk::types::PaymentIntent| super::payments::secret(intent).map(str::to_owned);
    let card = json!({"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "C"});
    let writes = [
        ("/v1/payment-intents".to_owned(), Some(shop.key.as_str()), intent_body()),
        (format!("/v1/payment-intents/{}/capture", authorized.id), Some(shop.key.as_str()), json!({})),
        (format!("/v1/payment-intents/{}/void", waiting.id), Some(shop.key.as_str()), json!({})),
        (format!("/v1/payment-intents/{}/refunds", paid.id), Some(shop.key.as_str()), json!({})),
        (
            format!("/v1/checkout/{}/confirm", waiting.id),
            None,
            json!({"client_secret": secret(&waiting)?, "card": card}),
        ),
        (
            format!("/v1/checkout/{}/authenticate", challenged.id),
            None,
            json!({"client_secret": secret(&challenged)?, "result": "complete"}),
        ),
        ("/v1/test-helpers/clock/freeze".to_owned(), Some(shop.key.as_str()), json!({})),
        ("/v1/test-helpers/clock/advance".to_owned(), Some(shop.key.as_str()), json!({"by": 60})),
        ("/v1/test-helpers/clock/resume".to_owned(), Some(shop.key.as_str()), json!({})),
        ("/v1/test-helpers/reset".to_owned(), Some(shop.key.as_str()), json!({})),
    ];
    let mut refusals = Vec::new();
    for (path, credential, body) in &writes {
        refusals.push((path, cx.post(path, *credential, body).await));
    }
    release.release();
    let advanced = advance.await??.expect_status(200)?;
    for (path, refusal) in refusals {
        refusal?.expect_error(409, "clock_advancing").map_err(|err| err.context(format!("POST {path}")))?;
    }
    let mut ran = advanced["ran"].as_array().into_iter().flatten();
    ensure!(
        ran.any(|w| w["kind"] == "webhook_attempt" && w["object"] == event.as_str()),
        "{event}'s retry did not run: {advanced}"
    );
    // Refused, nothing changed.
    let read = shop.sdk.get_payment_intent(&authorized.id).await?.into_inner();
    ensure!(matches!(read.status, kassa_sdk::types::PaymentIntentStatus::Authorized), "{:?}", read.status);
    Ok(())
}

async fn clock_plays_the_retry_ladder(cx: Ctx) -> Result<()> {
    let receiver = crate::receiver::Receiver::start().await?;
    for _ in 0..100 {
        receiver.answer_next(500, Duration::ZERO);
    }
    let (shop, _) = super::webhooks::hooked_shop(&cx, &receiver.url).await?;
    clock(&cx, &shop, "freeze", json!({})).await?.expect_status(200)?;
    cx.post("/v1/payment-intents", Some(&shop.key), &intent_body()).await?.expect_status(201)?;
    let first = receiver.wait_for(1, Duration::from_secs(15)).await?;
    let event = super::webhooks::body_of(&first[0])?["id"].as_str().unwrap_or_default().to_owned();
    // Longer than any schedule of retries a sandbox would keep (Kassa's default is about 3 days).
    let advanced = clock(&cx, &shop, "advance", json!({"by": 10 * 86_400})).await?.expect_status(200)?;
    ensure!(advanced["has_more"] == false, "{advanced}");
    let retries = advanced["ran"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|w| w["kind"] == "webhook_attempt" && w["object"] == event.as_str())
        .count();
    ensure!(retries >= 2, "{retries} retries of {event} ran in the advance: {advanced}");
    let list =
        cx.get(&format!("/v1/events/{event}/deliveries?limit=100"), Some(&shop.key)).await?.expect_status(200)?;
    let mut attempts = list["data"].as_array().cloned().unwrap_or_default();
    attempts.reverse();
    ensure!(attempts.len() == retries + 1, "{} attempts for {retries} retries and the first", attempts.len());
    let mut previous = None;
    for attempt in &attempts {
        ensure!(attempt["status_code"] == 500, "{attempt}");
        let made = instant(&attempt["created_at"])?;
        ensure!(previous.is_none_or(|p| made > p), "attempts out of order: {attempts:?}");
        previous = Some(made);
    }
    for pair in attempts.windows(2) {
        // Each retry was made when the one before scheduled it.
        ensure!(pair[1]["created_at"] == pair[0]["next_attempt_at"], "{} then {}", pair[0], pair[1]);
    }
    ensure!(attempts.last().is_some_and(|a| a["next_attempt_at"].is_null()), "the delivery did not fail");
    let read = cx.get(&format!("/v1/events/{event}"), Some(&shop.key)).await?.expect_status(200)?;
    ensure!(read["pending_webhooks"] == 0, "pending_webhooks {}", read["pending_webhooks"]);
    Ok(())
}
