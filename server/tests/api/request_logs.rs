//! API.md "request logs": what a merchant's API key did, as the dashboard's Developers → Logs
//! shows it — bodies kept without a card number, a CVC or any secret.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    api_key_requests_are_logged_with_their_redacted_bodies,
    logs_filter_by_status_method_path_and_time_and_paginate,
    another_merchants_logs_are_not_shown_and_bad_filters_are_400,
);

/// The merchant's log entries, once there are at least `n`.
async fn logs(app: &TestApp, key: &str, query: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let list = app.get(&format!("/v1/request-logs{query}"), Some(key)).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let data = list.body["data"].as_array().unwrap().clone();
        if data.len() >= n || Instant::now() > deadline {
            assert!(data.len() >= n, "{} of {n} entries: {}", data.len(), list.body);
            return data;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn api_key_requests_are_logged_with_their_redacted_bodies(app: TestApp) {
    let key = app.shop().await;
    let created = app
        .send(app.http.post(app.url("/v1/payment-intents")).bearer_auth(&key).header("idempotency-key", "log-1").json(&json!({
            "amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"})))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap();
    let secret = created.body["client_secret"].as_str().unwrap();
    app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    // A request without a valid key is nobody's to log.
    app.get("/v1/payment-intents", Some("sk_test_0000000000000000000000000000000000000000000")).await;
    let entries = logs(&app, &key, "", 2).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    let (get, post) = (&entries[0], &entries[1]);
    assert_eq!(
        (get["method"].as_str(), get["path"].as_str(), get["status"].as_i64()),
        (Some("GET"), Some(format!("/v1/payment-intents/{id}").as_str()), Some(200))
    );
    assert_eq!(
        (post["method"].as_str(), post["status"].as_i64(), post["idempotency_key"].as_str()),
        (Some("POST"), Some(201), Some("log-1"))
    );
    assert_eq!(post["id"].as_str(), created.headers["request-id"].to_str().ok(), "an entry is named by its request id");
    let request: Value = serde_json::from_str(post["request_body"].as_str().unwrap()).unwrap();
    assert_eq!(request["amount"], 1000);
    let response: Value = serde_json::from_str(post["response_body"].as_str().unwrap()).unwrap();
    assert_eq!(response["id"], id);
    assert_eq!(response["client_secret"], "[redacted]");
    for entry in &entries {
        let text = entry.to_string();
        assert!(!text.contains(secret) && !text.contains(&key), "a secret in a log entry: {text}");
    }
    assert!(get["duration_ms"].as_i64().is_some() && get["created_at"].is_string());
}

async fn logs_filter_by_status_method_path_and_time_and_paginate(app: TestApp) {
    let key = app.shop().await;
    let start = chrono::Utc::now();
    let intent = app.intent(&key, 1000, false).await;
    let id = intent["id"].as_str().unwrap();
    app.post(&format!("/v1/payment-intents/{id}/capture"), Some(&key), json!({})).await; // 422
    app.get("/v1/events", Some(&key)).await;
    let all = logs(&app, &key, "", 3).await;
    assert_eq!(all.len(), 3);
    let failed = logs(&app, &key, "?status=422", 1).await;
    assert_eq!(
        (failed.len(), failed[0]["path"].as_str()),
        (1, Some(format!("/v1/payment-intents/{id}/capture").as_str()))
    );
    assert_eq!(logs(&app, &key, "?method=POST", 2).await.len(), 2);
    assert_eq!(logs(&app, &key, "?path=/v1/events", 1).await.len(), 1);
    assert_eq!(logs(&app, &key, "?path=/v1/payment-intents", 2).await.len(), 2);
    let since = (start - chrono::TimeDelta::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    assert_eq!(logs(&app, &key, &format!("?created_gte={}", since.replace('+', "%2B")), 3).await.len(), 3);
    let before = app.get(&format!("/v1/request-logs?created_lt={}", since.replace('+', "%2B")), Some(&key)).await;
    assert_eq!(before.body["data"], json!([]));
    let page = app.get("/v1/request-logs?limit=2", Some(&key)).await;
    assert_eq!(page.body["has_more"], true);
    let last = page.body["data"][1]["id"].as_str().unwrap();
    let next = app.get(&format!("/v1/request-logs?limit=2&starting_after={last}"), Some(&key)).await;
    assert_eq!(next.body["data"].as_array().unwrap().len(), 1, "{}", next.body);
    assert_eq!(next.body["has_more"], false);
}

async fn another_merchants_logs_are_not_shown_and_bad_filters_are_400(app: TestApp) {
    let (mine, theirs) = (app.shop().await, app.shop().await);
    app.intent(&mine, 1000, false).await;
    logs(&app, &mine, "", 1).await;
    app.get("/v1/payment-intents", Some(&theirs)).await;
    let other = logs(&app, &theirs, "", 1).await;
    assert!(other.iter().all(|e| e["method"] == "GET"), "{other:?}");
    for query in ["?status=99", "?method=FETCH", "?method=post", "?created_gte=yesterday", "?limit=0", "?nope=1"] {
        let reply = app.get(&format!("/v1/request-logs{query}"), Some(&mine)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}: {}", reply.body);
    }
    assert_error(
        &app.get("/v1/request-logs?starting_after=req_000000000000000000000000", Some(&mine)).await,
        StatusCode::BAD_REQUEST,
        "invalid_starting_after",
    );
    assert_error(&app.get("/v1/request-logs", None).await, StatusCode::UNAUTHORIZED, "missing_credentials");
}
