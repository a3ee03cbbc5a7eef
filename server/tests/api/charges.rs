//! API.md "Charges": a charge per attempt, approved or declined, whose money follows its
//! intent's captures and refunds in the same transaction.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    every_attempt_is_a_charge_newest_first_and_latest_charge_names_the_last,
    the_approved_charge_follows_captures_and_concurrent_refunds,
    charges_are_the_merchants_own_and_malformed_queries_are_400,
);

async fn charges_of(app: &TestApp, key: &str, intent: &str) -> Vec<Value> {
    let reply = app.get(&format!("/v1/charges?payment_intent={intent}"), Some(key)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["data"].as_array().unwrap().clone()
}

async fn every_attempt_is_a_charge_newest_first_and_latest_charge_names_the_last(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1500, false).await;
    let id = intent["id"].as_str().unwrap();
    assert_eq!(intent["latest_charge"], Value::Null, "no attempt yet");
    assert_eq!(app.pay(&intent, "4000 0000 0000 9995").await.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(app.pay(&intent, "5555 5555 5555 4444").await.status, StatusCode::OK);
    let charges = charges_of(&app, &key, id).await;
    assert_eq!(charges.len(), 2);
    let (approved, declined) = (&charges[0], &charges[1]);
    assert_eq!(declined["status"], "failed");
    assert_eq!(declined["outcome"], json!({"decline_code": "insufficient_funds", "network_decline_code": "51"}));
    assert_eq!(
        declined["payment_method"],
        json!({"type": "card", "brand": "visa", "last4": "9995", "exp_month": 12, "exp_year": 2034, "bank": null})
    );
    assert_eq!((&declined["captured"], &declined["amount_captured"]), (&json!(false), &json!(0)));
    assert_eq!(approved["status"], "succeeded");
    assert_eq!(approved["outcome"], Value::Null);
    assert_eq!(
        approved["payment_method"],
        json!({"type": "card", "brand": "mastercard", "last4": "4444", "exp_month": 12, "exp_year": 2034, "bank": null})
    );
    assert_eq!((&approved["captured"], &approved["amount_captured"]), (&json!(true), &json!(1500)));
    assert_eq!(
        (&approved["amount"], &approved["currency"], &approved["payment_intent"]),
        (&json!(1500), &json!("usd"), &json!(id))
    );
    assert!(approved["id"].as_str().unwrap().starts_with("ch_"));
    let paid = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_eq!(paid.body["latest_charge"], approved["id"]);
    let one = app.get(&format!("/v1/charges/{}", approved["id"].as_str().unwrap()), Some(&key)).await;
    assert_eq!(&one.body, approved);
    // The event's intent names its charge too.
    let events = app.get(&format!("/v1/events?payment_intent={id}&type=payment_intent.succeeded"), Some(&key)).await;
    assert_eq!(events.body["data"][0]["data"]["object"]["latest_charge"], approved["id"]);
    // Pages follow the cursor; the merchant-wide list holds them too.
    let first = app.get(&format!("/v1/charges?payment_intent={id}&limit=1"), Some(&key)).await;
    assert_eq!(
        (first.body["data"][0]["id"].clone(), first.body["has_more"].clone()),
        (approved["id"].clone(), json!(true))
    );
    let after = approved["id"].as_str().unwrap();
    let second = app.get(&format!("/v1/charges?limit=1&starting_after={after}"), Some(&key)).await;
    assert_eq!(second.body["data"][0]["id"], declined["id"]);
}

async fn the_approved_charge_follows_captures_and_concurrent_refunds(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, true).await;
    let id = intent["id"].as_str().unwrap();
    assert_eq!(app.pay(&intent, "4242 4242 4242 4242").await.status, StatusCode::OK);
    let authorized = &charges_of(&app, &key, id).await[0];
    assert_eq!((&authorized["status"], &authorized["captured"]), (&json!("succeeded"), &json!(false)));
    let capture = app.post(&format!("/v1/payment-intents/{id}/capture"), Some(&key), json!({"amount": 900})).await;
    assert_eq!(capture.status, StatusCode::OK);
    let captured = &charges_of(&app, &key, id).await[0];
    assert_eq!((&captured["captured"], &captured["amount_captured"]), (&json!(true), &json!(900)));
    // Five refunds of 200 race for 900: four fit, and the charge agrees with the intent.
    let path = format!("/v1/payment-intents/{id}/refunds");
    let answers = futures::future::join_all((0..5).map(|_| app.post(&path, Some(&key), json!({"amount": 200})))).await;
    assert_eq!(answers.iter().filter(|r| r.status == StatusCode::CREATED).count(), 4);
    let after = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_eq!(after.body["amount_refunded"], 800);
    let charges = charges_of(&app, &key, id).await;
    assert_eq!(charges.len(), 1, "refunds make no new charge");
    assert_eq!(charges[0]["amount_refunded"], 800);
}

async fn charges_are_the_merchants_own_and_malformed_queries_are_400(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    app.pay(&intent, "4242 4242 4242 4242").await;
    let charge = app.get("/v1/charges", Some(&key)).await.body["data"][0]["id"].as_str().unwrap().to_owned();
    let other = app.shop().await;
    assert_error(
        &app.get(&format!("/v1/charges/{charge}"), Some(&other)).await,
        StatusCode::NOT_FOUND,
        "resource_missing",
    );
    assert_eq!(app.get("/v1/charges", Some(&other)).await.body["data"], json!([]));
    let id = intent["id"].as_str().unwrap();
    assert_eq!(app.get(&format!("/v1/charges?payment_intent={id}"), Some(&other)).await.body["data"], json!([]));
    assert_error(&app.get("/v1/charges/ch_nope", Some(&key)).await, StatusCode::BAD_REQUEST, "parameter_invalid");
    let bad = app.get("/v1/charges?payment_intent=ch_123", Some(&key)).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "parameter_invalid");
    assert_eq!(bad.body["error"]["param"], "payment_intent");
    let cursor = app.get(&format!("/v1/charges?starting_after=ch_{}", "A".repeat(24)), Some(&key)).await;
    assert_error(&cursor, StatusCode::BAD_REQUEST, "invalid_starting_after");
    assert_error(&app.get("/v1/charges", None).await, StatusCode::UNAUTHORIZED, "missing_credentials");
}
