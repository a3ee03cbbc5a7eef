//! API.md "Sandbox controls": `Kassa-Simulate`, the errors and delays a client asks for to test
//! its retries, and `POST /v1/test-helpers/reset`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    a_simulated_error_is_answered_in_the_documented_shape_and_changes_nothing,
    after_commit_keeps_the_change_and_a_retry_with_the_key_is_replayed_it,
    a_simulated_delay_waits_then_runs_the_request,
    simulation_never_weakens_authentication,
    a_malformed_simulation_is_400,
    a_reset_clears_the_merchants_payment_data_and_keeps_the_rest,
);

/// POSTs `body` to `path` with the key, `Kassa-Simulate: simulate` and, if given, an
/// `Idempotency-Key`.
async fn simulated(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    simulate: &str,
    idempotency_key: Option<&str>,
    body: Value,
) -> kassa_testkit::Reply {
    let mut request = app.http.post(app.url(path)).header("kassa-simulate", simulate).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(key) = idempotency_key {
        request = request.header("idempotency-key", key);
    }
    app.send(request).await
}

async fn intents(app: &TestApp, key: &str) -> Vec<Value> {
    app.get("/v1/payment-intents?limit=100", Some(key)).await.body["data"].as_array().unwrap().clone()
}

async fn a_simulated_error_is_answered_in_the_documented_shape_and_changes_nothing(app: TestApp) {
    let key = app.shop().await;
    let body = kassa_testkit::Api::intent_body(1000, false);
    for (simulate, status, kind, code, retry_after) in [
        ("status=500", StatusCode::INTERNAL_SERVER_ERROR, "api_error", "internal_error", None),
        ("status=429", StatusCode::TOO_MANY_REQUESTS, "rate_limit_error", "rate_limited", Some("1")),
        ("status=503", StatusCode::SERVICE_UNAVAILABLE, "api_error", "service_unavailable", Some("1")),
    ] {
        let reply = simulated(&app, "/v1/payment-intents", Some(&key), simulate, None, body.clone()).await;
        assert_error(&reply, status, code);
        assert_eq!(reply.body["error"]["type"], kind, "{}", reply.body);
        assert!(reply.body["error"]["message"].as_str().unwrap().contains("Kassa-Simulate"), "{}", reply.body);
        let request_id = reply.headers["request-id"].to_str().unwrap();
        assert_eq!(reply.body["error"]["request_id"], request_id);
        assert_eq!(reply.headers.get("retry-after").map(|v| v.to_str().unwrap()), retry_after, "{simulate}");
    }
    assert!(intents(&app, &key).await.is_empty(), "nothing was created");
    // A read may be simulated too.
    let mut read = app.http.get(app.url("/v1/payment-intents")).bearer_auth(&key);
    read = read.header("kassa-simulate", "status=503");
    assert_error(&app.send(read).await, StatusCode::SERVICE_UNAVAILABLE, "service_unavailable");
}

async fn after_commit_keeps_the_change_and_a_retry_with_the_key_is_replayed_it(app: TestApp) {
    let key = app.shop().await;
    let body = kassa_testkit::Api::intent_body(1000, false);
    let lost =
        simulated(&app, "/v1/payment-intents", Some(&key), "status=500; after_commit", Some("k1"), body.clone()).await;
    assert_error(&lost, StatusCode::INTERNAL_SERVER_ERROR, "internal_error");
    let made = intents(&app, &key).await;
    assert_eq!(made.len(), 1, "the change was made");
    // The client retries, as it should, with the same key: the answer it lost, not a second intent.
    let retried = app.post_keyed("/v1/payment-intents", Some(&key), "k1", body).await;
    assert_eq!(retried.status, StatusCode::CREATED, "{}", retried.body);
    assert_eq!(retried.headers["idempotent-replayed"], "true");
    assert_eq!(retried.body["id"], made[0]["id"]);
    assert_eq!(intents(&app, &key).await.len(), 1, "paid once");

    // Without a key, nothing can tell the retry from a new request: that is what keys are for.
    let pay = kassa_testkit::Api::pay_body(&made[0], "4242 4242 4242 4242");
    let path = format!("/v1/checkout/{}/confirm", made[0]["id"].as_str().unwrap());
    // The checkout has no API key or user token: the header is not honoured there.
    let paid = simulated(&app, &path, None, "status=500; after_commit", None, pay).await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
}

async fn a_simulated_delay_waits_then_runs_the_request(app: TestApp) {
    let key = app.shop().await;
    let started = std::time::Instant::now();
    let body = kassa_testkit::Api::intent_body(1000, false);
    let reply = simulated(&app, "/v1/payment-intents", Some(&key), "delay_ms=300", None, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300), "it waited first");
    let both = simulated(&app, "/v1/payment-intents", Some(&key), "delay_ms=50; status=503", None, json!({})).await;
    assert_error(&both, StatusCode::SERVICE_UNAVAILABLE, "service_unavailable");
}

async fn simulation_never_weakens_authentication(app: TestApp) {
    let body = kassa_testkit::Api::intent_body(1000, false);
    for token in [None, Some("sk_test_not_a_key"), Some("not.a.jwt")] {
        let reply = simulated(&app, "/v1/payment-intents", token, "status=500", None, body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token:?}: {}", reply.body);
        let malformed = simulated(&app, "/v1/payment-intents", token, "status=999", None, body.clone()).await;
        assert_eq!(malformed.status, StatusCode::UNAUTHORIZED, "the credential is judged first");
    }
    // A user token is a credential: its requests may be simulated.
    let (_, _, token) = app.user().await;
    let reply =
        app.send(app.http.get(app.url("/v1/auth/me")).bearer_auth(&token).header("kassa-simulate", "status=429")).await;
    assert_error(&reply, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
}

async fn a_malformed_simulation_is_400(app: TestApp) {
    let key = app.shop().await;
    for simulate in ["status=404", "after_commit", "delay_ms=60000", "chaos"] {
        let reply = simulated(&app, "/v1/payment-intents", Some(&key), simulate, None, json!({})).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
        assert_eq!(reply.body["error"]["param"], "Kassa-Simulate", "{simulate}");
    }
}

async fn a_reset_clears_the_merchants_payment_data_and_keeps_the_rest(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (_, key) = app.api_key(&owner, &merchant).await;
    let other = app.shop().await;
    let theirs = app.intent(&other, 700, false).await;

    let paid = app.intent(&key, 1000, false).await;
    assert_eq!(app.pay(&paid, "4242 4242 4242 4242").await.status, StatusCode::OK);
    let id = paid["id"].as_str().unwrap();
    app.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&key), json!({"amount": 100})).await;
    let keyed = app
        .post_keyed("/v1/payment-intents", Some(&key), "before-reset", kassa_testkit::Api::intent_body(5, false))
        .await;
    assert_eq!(keyed.status, StatusCode::CREATED);
    app.patch(&format!("/v1/merchants/{merchant}"), Some(&owner), json!({"webhook_url": "https://shop.example/hook"}))
        .await;

    let reset = app.post("/v1/test-helpers/reset", Some(&key), json!({})).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(reset.body["object"], "test_helpers.reset");
    assert_eq!(reset.body["payment_intents"], 2, "{}", reset.body);
    assert!(reset.body["events"].as_u64().unwrap() >= 4, "{}", reset.body);
    assert!(reset.body["idempotency_keys"].as_u64().unwrap() >= 1, "{}", reset.body);

    assert!(intents(&app, &key).await.is_empty());
    let gone = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_error(&gone, StatusCode::NOT_FOUND, "resource_missing");
    assert_eq!(app.get("/v1/events", Some(&key)).await.body["data"], json!([]));
    assert_eq!(app.get("/v1/charges", Some(&key)).await.body["data"], json!([]));
    // The key is forgotten: the same key with another body runs as a first request.
    let again = app
        .post_keyed("/v1/payment-intents", Some(&key), "before-reset", kassa_testkit::Api::intent_body(6, false))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert!(again.headers.get("idempotent-replayed").is_none());
    // The merchant, its key and its webhook settings stay; another merchant is untouched.
    let kept = app.get(&format!("/v1/merchants/{merchant}"), Some(&owner)).await;
    assert_eq!(kept.body["webhook_url"], "https://shop.example/hook");
    let other_intent = app.get(&format!("/v1/payment-intents/{}", theirs["id"].as_str().unwrap()), Some(&other)).await;
    assert_eq!(other_intent.status, StatusCode::OK);
    assert_eq!(app.get("/v1/payment-intents", Some(&other)).await.body["data"].as_array().unwrap().len(), 1);
    // Without an API key it is refused.
    assert_error(
        &app.post("/v1/test-helpers/reset", Some(&owner), json!({})).await,
        StatusCode::UNAUTHORIZED,
        "invalid_api_key",
    );
}
