//! API.md "Dashboard access": a member's user token with `Kassa-Merchant` on the payment API.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    members_read_every_payment_object_of_the_merchant_they_name,
    viewers_read_but_may_not_capture_void_refund_or_redeliver,
    developers_capture_void_and_refund,
    a_merchant_the_user_is_not_a_member_of_is_404,
    a_user_token_without_or_with_a_malformed_kassa_merchant_is_400,
    an_api_key_may_name_only_its_own_merchant,
    a_users_idempotency_keys_are_kept_per_merchant,
    a_viewer_never_sees_a_client_secret,
    a_removed_member_gets_no_replay_and_the_merchant_may_be_written_any_way,
);

/// A merchant's owner token, its id, its API key, and a paid intent.
async fn shop_with_a_payment(app: &TestApp, manual: bool) -> (String, String, String, serde_json::Value) {
    let (owner, merchant) = app.owner().await;
    let (_, key) = app.api_key(&owner, &merchant).await;
    let intent = app.intent(&key, 1500, manual).await;
    assert_eq!(app.pay(&intent, "4242 4242 4242 4242").await.status, StatusCode::OK);
    (owner, merchant, key, intent)
}

async fn members_read_every_payment_object_of_the_merchant_they_name(app: TestApp) {
    let (owner, merchant, _, intent) = shop_with_a_payment(&app, false).await;
    let id = intent["id"].as_str().unwrap();
    let (_, viewer) = app.member(&owner, &merchant, "viewer").await;
    let as_member = app.on_merchant(&merchant);
    let one = as_member.get(&format!("/v1/payment-intents/{id}"), Some(&viewer)).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert_eq!(one.body["status"], "succeeded");
    let list = as_member.get("/v1/payment-intents", Some(&viewer)).await;
    assert_eq!(list.body["data"][0]["id"], id, "{}", list.body);
    let events = as_member.get("/v1/events", Some(&viewer)).await;
    assert_eq!(events.body["data"][0]["type"], "payment_intent.succeeded", "{}", events.body);
    let event = events.body["data"][0]["id"].as_str().unwrap();
    assert_eq!(as_member.get(&format!("/v1/events/{event}"), Some(&viewer)).await.status, StatusCode::OK);
    let deliveries = as_member.get(&format!("/v1/events/{event}/deliveries"), Some(&viewer)).await;
    assert_eq!(deliveries.status, StatusCode::OK, "{}", deliveries.body);
    let refunds = as_member.get(&format!("/v1/payment-intents/{id}/refunds"), Some(&viewer)).await;
    assert_eq!(refunds.status, StatusCode::OK, "{}", refunds.body);
    let logs = as_member.get("/v1/request-logs", Some(&viewer)).await;
    assert_eq!(logs.status, StatusCode::OK, "{}", logs.body);
}

async fn viewers_read_but_may_not_capture_void_refund_or_redeliver(app: TestApp) {
    let (owner, merchant, key, intent) = shop_with_a_payment(&app, true).await;
    let id = intent["id"].as_str().unwrap();
    let (_, viewer) = app.member(&owner, &merchant, "viewer").await;
    let as_member = app.on_merchant(&merchant);
    for path in [format!("/v1/payment-intents/{id}/capture"), format!("/v1/payment-intents/{id}/void")] {
        let reply = as_member.post(&path, Some(&viewer), json!({})).await;
        assert_error(&reply, StatusCode::FORBIDDEN, "insufficient_role");
    }
    let event = app.get("/v1/events?limit=1", Some(&key)).await.body["data"][0]["id"].as_str().unwrap().to_owned();
    let redeliver = as_member.post(&format!("/v1/events/{event}/redeliver"), Some(&viewer), json!({})).await;
    assert_error(&redeliver, StatusCode::FORBIDDEN, "insufficient_role");
    // Nothing changed: the intent is still authorized, and can be captured and refunded by its key.
    assert_eq!(app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["status"], "authorized");
    let captured = app.post(&format!("/v1/payment-intents/{id}/capture"), Some(&key), json!({})).await;
    assert_eq!(captured.body["status"], "succeeded", "{}", captured.body);
    let refund = as_member.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&viewer), json!({})).await;
    assert_error(&refund, StatusCode::FORBIDDEN, "insufficient_role");
    assert_eq!(app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["amount_refunded"], 0);
}

async fn developers_capture_void_and_refund(app: TestApp) {
    let (owner, merchant, key, intent) = shop_with_a_payment(&app, true).await;
    let id = intent["id"].as_str().unwrap();
    let (_, developer) = app.member(&owner, &merchant, "developer").await;
    let as_member = app.on_merchant(&merchant);
    let captured =
        as_member.post(&format!("/v1/payment-intents/{id}/capture"), Some(&developer), json!({"amount": 1000})).await;
    assert_eq!(captured.status, StatusCode::OK, "{}", captured.body);
    assert_eq!(captured.body["amount_received"], 1000);
    let refund =
        as_member.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&developer), json!({"amount": 400})).await;
    assert_eq!(refund.status, StatusCode::CREATED, "{}", refund.body);
    assert_eq!(app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["amount_refunded"], 400);
    let other = app.intent(&key, 700, false).await;
    let other_id = other["id"].as_str().unwrap();
    let voided = as_member.post(&format!("/v1/payment-intents/{other_id}/void"), Some(&developer), json!({})).await;
    assert_eq!(voided.body["status"], "canceled", "{}", voided.body);
    // The owner may do all of it too.
    let refund = as_member.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&owner), json!({})).await;
    assert_eq!(refund.body["amount"], 600, "{}", refund.body);
}

async fn a_merchant_the_user_is_not_a_member_of_is_404(app: TestApp) {
    let (_, merchant, _, intent) = shop_with_a_payment(&app, false).await;
    let id = intent["id"].as_str().unwrap();
    let (stranger, _) = app.owner().await;
    let as_stranger = app.on_merchant(&merchant);
    assert_error(
        &as_stranger.get("/v1/payment-intents", Some(&stranger)).await,
        StatusCode::NOT_FOUND,
        "resource_missing",
    );
    let refund = as_stranger.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&stranger), json!({})).await;
    assert_error(&refund, StatusCode::NOT_FOUND, "resource_missing");
    // A merchant that does not exist reads the same.
    let nowhere = app.on_merchant(&uuid::Uuid::new_v4().to_string());
    assert_error(&nowhere.get("/v1/events", Some(&stranger)).await, StatusCode::NOT_FOUND, "resource_missing");
    // And the stranger's own merchant does not hold the intent.
    let (own_token, own) = app.owner().await;
    let reply = app.on_merchant(&own).get(&format!("/v1/payment-intents/{id}"), Some(&own_token)).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "resource_missing");
}

async fn a_user_token_without_or_with_a_malformed_kassa_merchant_is_400(app: TestApp) {
    let (owner, _) = app.owner().await;
    let missing = app.get("/v1/payment-intents", Some(&owner)).await;
    assert_error(&missing, StatusCode::BAD_REQUEST, "parameter_missing");
    assert_eq!(missing.body["error"]["param"], "Kassa-Merchant");
    let malformed = app.on_merchant("acme").get("/v1/request-logs", Some(&owner)).await;
    assert_error(&malformed, StatusCode::BAD_REQUEST, "parameter_invalid");
    assert_eq!(malformed.body["error"]["param"], "Kassa-Merchant");
    // The credential is checked first: without one it is 401, whatever the header says.
    let anonymous = app.on_merchant("acme").get("/v1/payment-intents", None).await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "missing_credentials");
    // Creating intents and listening stay with the merchant's server: its API key.
    let (token, merchant) = app.owner().await;
    let create = app
        .on_merchant(&merchant)
        .post("/v1/payment-intents", Some(&token), kassa_testkit::Api::intent_body(1000, false))
        .await;
    assert_error(&create, StatusCode::UNAUTHORIZED, "invalid_api_key");
}

async fn an_api_key_may_name_only_its_own_merchant(app: TestApp) {
    let (_, merchant, key, intent) = shop_with_a_payment(&app, false).await;
    let id = intent["id"].as_str().unwrap();
    let own = app.on_merchant(&merchant).get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let (_, other) = app.owner().await;
    let reply = app.on_merchant(&other).get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "resource_missing");
}

async fn a_users_idempotency_keys_are_kept_per_merchant(app: TestApp) {
    // One user, a developer on two merchants, refunds on both with the same key: two refunds.
    let (owner_a, merchant_a, key_a, intent_a) = shop_with_a_payment(&app, false).await;
    let (owner_b, merchant_b, _, intent_b) = shop_with_a_payment(&app, false).await;
    let (_, email, token) = app.user().await;
    for (owner, merchant) in [(&owner_a, &merchant_a), (&owner_b, &merchant_b)] {
        let added = app
            .post(
                &format!("/v1/merchants/{merchant}/members"),
                Some(owner),
                json!({"email": email, "role": "developer"}),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    }
    for (merchant, intent) in [(&merchant_a, &intent_a), (&merchant_b, &intent_b)] {
        let id = intent["id"].as_str().unwrap();
        let path = format!("/v1/payment-intents/{id}/refunds");
        let refund = app.on_merchant(merchant).post_keyed(&path, Some(&token), "refund-1", json!({})).await;
        assert_eq!(refund.status, StatusCode::CREATED, "{}", refund.body);
        assert!(refund.headers.get("idempotent-replayed").is_none());
    }
    // A retry on one merchant replays its own answer.
    let id = intent_a["id"].as_str().unwrap();
    let path = format!("/v1/payment-intents/{id}/refunds");
    let again = app.on_merchant(&merchant_a).post_keyed(&path, Some(&token), "refund-1", json!({})).await;
    assert_eq!(again.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    let refunds = app.get(&path, Some(&key_a)).await;
    assert_eq!(refunds.body["data"].as_array().unwrap().len(), 1);
}

async fn a_viewer_never_sees_a_client_secret(app: TestApp) {
    // A client secret pays the intent: a viewer, who may only read, gets none.
    let (owner, merchant) = app.owner().await;
    let (_, key) = app.api_key(&owner, &merchant).await;
    let intent = app.intent(&key, 1500, false).await;
    let id = intent["id"].as_str().unwrap();
    let (_, viewer) = app.member(&owner, &merchant, "viewer").await;
    let (_, developer) = app.member(&owner, &merchant, "developer").await;
    let as_member = app.on_merchant(&merchant);
    let one = as_member.get(&format!("/v1/payment-intents/{id}"), Some(&viewer)).await;
    assert_eq!((&one.body["client_secret"], &one.body["checkout_url"]), (&json!(null), &json!(null)), "{}", one.body);
    let list = as_member.get("/v1/payment-intents", Some(&viewer)).await;
    assert_eq!(list.body["data"][0]["client_secret"], json!(null));
    let events = as_member.get("/v1/events", Some(&viewer)).await;
    assert_eq!(events.body["data"][0]["data"]["object"]["client_secret"], json!(null), "{}", events.body);
    let event = events.body["data"][0]["id"].as_str().unwrap();
    let one_event = as_member.get(&format!("/v1/events/{event}"), Some(&viewer)).await;
    assert_eq!(one_event.body["data"]["object"]["checkout_url"], json!(null));
    assert!(
        kassa_testkit::secrets_in(one.text.as_bytes()).is_empty()
            && kassa_testkit::secrets_in(events.text.as_bytes()).is_empty()
    );
    // A developer (who could make an API key anyway) and the key itself see it.
    let seen = as_member.get(&format!("/v1/payment-intents/{id}"), Some(&developer)).await;
    assert_eq!(seen.body["client_secret"], intent["client_secret"]);
    assert_eq!(
        app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["checkout_url"],
        intent["checkout_url"]
    );
}

async fn a_removed_member_gets_no_replay_and_the_merchant_may_be_written_any_way(app: TestApp) {
    let (owner, merchant, key, intent) = shop_with_a_payment(&app, false).await;
    let id = intent["id"].as_str().unwrap();
    let (user_id, developer) = app.member(&owner, &merchant, "developer").await;
    let path = format!("/v1/payment-intents/{id}/refunds");
    let first =
        app.on_merchant(&merchant).post_keyed(&path, Some(&developer), "refund-9", json!({"amount": 100})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    // The same merchant in capitals names the same merchant: the retry is replayed, not repeated.
    let shouted = app.on_merchant(&merchant.to_uppercase());
    let again = shouted.post_keyed(&path, Some(&developer), "refund-9", json!({"amount": 100})).await;
    assert_eq!(again.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"), "{}", again.body);
    assert_eq!(app.get(&path, Some(&key)).await.body["data"].as_array().unwrap().len(), 1);
    // Once removed, the member's retry is not answered from the kept copy: it is a stranger's 404.
    let removed = app.delete(&format!("/v1/merchants/{merchant}/members/{user_id}"), Some(&owner)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let after =
        app.on_merchant(&merchant).post_keyed(&path, Some(&developer), "refund-9", json!({"amount": 100})).await;
    assert_error(&after, StatusCode::NOT_FOUND, "resource_missing");
    assert!(after.headers.get("idempotent-replayed").is_none());
}
