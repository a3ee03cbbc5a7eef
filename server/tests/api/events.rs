//! API.md "Events and webhooks": the read side, with an API key. Payment transitions append the
//! events; until they exist these tests seed rows the way the store lays them out.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    events_list_newest_first_filter_by_type_and_paginate,
    another_merchants_event_is_404,
    malformed_event_queries_are_400,
    events_filter_by_payment_intent_with_its_refunds,
);

/// Seeds `count` events of `kind` for `merchant`, one second apart from `first_second` seconds
/// into the last hour, oldest first; returns their ids. Their objects are written as events
/// were before snapshots (the wire JSON of the day, its client secret taken out by migration
/// 0003), so these tests also show such events still read.
async fn seed_events(app: &TestApp, merchant: &str, kind: &str, first_second: i64, count: usize) -> Vec<String> {
    let merchant = uuid::Uuid::parse_str(merchant).unwrap();
    let start = Utc::now() - Duration::hours(1) + Duration::seconds(first_second);
    let mut ids = Vec::new();
    for i in 0..count {
        let id = format!("evt_{}", uuid::Uuid::new_v4().simple()).chars().take(28).collect::<String>();
        let at = start + Duration::seconds(i as i64);
        let data = legacy_object(kind, i, at).to_string();
        let sql = "INSERT INTO events (id, merchant_id, type, data, created_at) VALUES ($1, $2, $3, $4, $5)";
        if app.database_url.starts_with("postgres") {
            let mut conn = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
            sqlx::query(sql).bind(&id).bind(merchant).bind(kind).bind(&data).bind(at).execute(&mut conn).await.unwrap();
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&app.database_url).await.unwrap();
            sqlx::query(sql).bind(&id).bind(merchant).bind(kind).bind(&data).bind(at).execute(&mut conn).await.unwrap();
        }
        ids.push(id);
    }
    ids
}

fn legacy_object(kind: &str, i: usize, at: chrono::DateTime<Utc>) -> serde_json::Value {
    let intent = format!("pi_{}", uuid::Uuid::new_v4().simple());
    if kind.starts_with("refund.") {
        return json!({"id": format!("re_{}", uuid::Uuid::new_v4().simple()), "object": "refund",
            "payment_intent": intent, "amount": 500, "reason": null, "status": "succeeded", "created_at": at});
    }
    json!({"id": intent, "object": "payment_intent", "amount": 1000 + i, "amount_capturable": 0,
        "amount_received": 0, "amount_refunded": 0, "currency": "usd", "status": "requires_payment_method",
        "capture_method": "automatic", "checkout_url": "http://127.0.0.1/checkout/x", "success_url": "https://s.example/ok",
        "cancel_url": "https://s.example/no", "description": null, "customer_email": null, "metadata": {},
        "attempts": 0, "last_payment_error": null, "payment_method": null, "created_at": at,
        "expires_at": at + Duration::hours(1)})
}

async fn events_list_newest_first_filter_by_type_and_paginate(app: TestApp) {
    let (token, merchant) = app.owner().await;
    let (_, key) = app.api_key(&token, &merchant).await;
    let mut created = seed_events(&app, &merchant, "payment_intent.created", 0, 3).await;
    let succeeded = seed_events(&app, &merchant, "payment_intent.succeeded", 10, 1).await;
    created.reverse();

    let all = app.get("/v1/events", Some(&key)).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body["data"].as_array().unwrap().len(), 4);
    assert_eq!(all.body["data"][0]["id"], succeeded[0].as_str(), "newest first");
    assert_eq!(all.body["data"][0]["data"]["object"]["object"], "payment_intent");

    let page = app.get("/v1/events?type=payment_intent.created&limit=2", Some(&key)).await;
    let ids: Vec<_> = page.body["data"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, created[..2]);
    assert_eq!(page.body["has_more"], true);
    let rest =
        app.get(&format!("/v1/events?type=payment_intent.created&starting_after={}", created[1]), Some(&key)).await;
    let ids: Vec<_> = rest.body["data"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, created[2..]);
    assert_eq!(rest.body["has_more"], false);

    let one = app.get(&format!("/v1/events/{}", succeeded[0]), Some(&key)).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["type"], "payment_intent.succeeded");
}

async fn another_merchants_event_is_404(app: TestApp) {
    let (token, merchant) = app.owner().await;
    let (_, key) = app.api_key(&token, &merchant).await;
    let (other_token, other) = app.owner().await;
    let (_, other_key) = app.api_key(&other_token, &other).await;
    let theirs = seed_events(&app, &other, "refund.created", 0, 1).await;
    assert_error(
        &app.get(&format!("/v1/events/{}", theirs[0]), Some(&key)).await,
        StatusCode::NOT_FOUND,
        "resource_missing",
    );
    assert_eq!(app.get(&format!("/v1/events/{}", theirs[0]), Some(&other_key)).await.status, StatusCode::OK);
    let mine = app.get("/v1/events", Some(&key)).await;
    assert_eq!(mine.body["data"], json!([]));
}

async fn malformed_event_queries_are_400(app: TestApp) {
    let (token, merchant) = app.owner().await;
    let (_, key) = app.api_key(&token, &merchant).await;
    for (path, code, param) in [
        ("/v1/events?type=payment_intent.exploded", "parameter_invalid", "type"),
        ("/v1/events?limit=500", "parameter_invalid", "limit"),
        ("/v1/events?starting_after=evt_nope", "invalid_starting_after", "starting_after"),
        ("/v1/events?order=asc", "unknown_parameter", "order"),
        ("/v1/events/pi_123", "parameter_invalid", "event_id"),
    ] {
        let reply = app.get(path, Some(&key)).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, code);
        assert_eq!(reply.body["error"]["param"], param, "{path}");
    }
}

async fn events_filter_by_payment_intent_with_its_refunds(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    let other = app.intent(&key, 2000, false).await;
    assert_eq!(app.pay(&intent, "4242 4242 4242 4242").await.status, StatusCode::OK);
    let id = intent["id"].as_str().unwrap();
    let refund = app.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&key), json!({"amount": 100})).await;
    assert_eq!(refund.status, StatusCode::CREATED);
    let timeline = app.get(&format!("/v1/events?payment_intent={id}"), Some(&key)).await;
    let types: Vec<&str> =
        timeline.body["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["refund.created", "payment_intent.succeeded", "payment_intent.created"], "{}", timeline.body);
    let other_id = other["id"].as_str().unwrap();
    let theirs =
        app.get(&format!("/v1/events?payment_intent={other_id}&type=payment_intent.created"), Some(&key)).await;
    assert_eq!(theirs.body["data"].as_array().unwrap().len(), 1, "{}", theirs.body);
    assert_eq!(theirs.body["data"][0]["data"]["object"]["id"], other_id);
    let malformed = app.get("/v1/events?payment_intent=evt_123", Some(&key)).await;
    assert_error(&malformed, StatusCode::BAD_REQUEST, "parameter_invalid");
    assert_eq!(malformed.body["error"]["param"], "payment_intent");
}
