//! API.md "API keys": shown once, listed without secret, stored as a hash, revoked at once.

use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    a_new_key_is_shown_once_and_listed_without_its_secret,
    a_key_authenticates_the_merchant_api_and_revocation_is_immediate,
    keys_need_the_developer_role_to_create_or_revoke,
    revoking_an_unknown_or_foreign_key_is_404,
    malformed_and_unknown_api_keys_are_401,
);

async fn a_new_key_is_shown_once_and_listed_without_its_secret(app: TestApp) {
    let (token, merchant) = app.owner().await;
    let created = app.post(&format!("/v1/merchants/{merchant}/api-keys"), Some(&token), json!({"name": "prod"})).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let key = created.body["key"].as_str().unwrap();
    assert!(key.starts_with("sk_test_") && key.len() >= 8 + 43, "{key}");
    assert!(created.body["id"].as_str().unwrap().starts_with("key_"));
    assert!(key.starts_with(created.body["prefix"].as_str().unwrap()));
    let list = app.get(&format!("/v1/merchants/{merchant}/api-keys"), Some(&token)).await;
    assert_eq!(list.status, StatusCode::OK);
    let listed = &list.body["data"][0];
    assert_eq!(listed["id"], created.body["id"]);
    assert!(listed.get("key").is_none(), "{listed}");
    assert!(!list.body.to_string().contains(key));
    // Stored only as its SHA-256: the key itself is nowhere in the database file.
    if let Some(path) = &app.db_path {
        let hash = hex::encode(Sha256::digest(key.as_bytes()));
        let bytes =
            [std::fs::read(path).unwrap(), std::fs::read(path.with_extension("db-wal")).unwrap_or_default()].concat();
        let haystack = String::from_utf8_lossy(&bytes);
        assert!(!haystack.contains(key), "the secret key was stored in clear");
        assert!(haystack.contains(&hash), "the key's hash was not found: the scan above would prove nothing");
    }
}

async fn a_key_authenticates_the_merchant_api_and_revocation_is_immediate(app: TestApp) {
    let (token, merchant) = app.owner().await;
    let (id, key) = app.api_key(&token, &merchant).await;
    assert_eq!(app.get("/v1/events", Some(&key)).await.status, StatusCode::OK);
    let listed = app.get(&format!("/v1/merchants/{merchant}/api-keys"), Some(&token)).await;
    assert!(listed.body["data"][0]["last_used_at"].is_string(), "{}", listed.body);
    let revoked = app.delete(&format!("/v1/merchants/{merchant}/api-keys/{id}"), Some(&token)).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_error(&app.get("/v1/events", Some(&key)).await, StatusCode::UNAUTHORIZED, "invalid_api_key");
    let listed = app.get(&format!("/v1/merchants/{merchant}/api-keys"), Some(&token)).await;
    assert_eq!(listed.body["data"], json!([]));
    // Another process on the database refuses it too: revocation is stored, not cached.
    let next = app.next_process(None).await;
    assert_error(&next.get("/v1/events", Some(&key)).await, StatusCode::UNAUTHORIZED, "invalid_api_key");
}

async fn keys_need_the_developer_role_to_create_or_revoke(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (id, _) = app.api_key(&owner, &merchant).await;
    let (_, viewer) = app.member(&owner, &merchant, "viewer").await;
    let create = app.post(&format!("/v1/merchants/{merchant}/api-keys"), Some(&viewer), json!({"name": "x"})).await;
    assert_error(&create, StatusCode::FORBIDDEN, "insufficient_role");
    let revoke = app.delete(&format!("/v1/merchants/{merchant}/api-keys/{id}"), Some(&viewer)).await;
    assert_error(&revoke, StatusCode::FORBIDDEN, "insufficient_role");
    assert_eq!(app.get(&format!("/v1/merchants/{merchant}/api-keys"), Some(&viewer)).await.status, StatusCode::OK);
    let (_, developer) = app.member(&owner, &merchant, "developer").await;
    app.api_key(&developer, &merchant).await;
    assert_eq!(
        app.delete(&format!("/v1/merchants/{merchant}/api-keys/{id}"), Some(&developer)).await.status,
        StatusCode::NO_CONTENT
    );
}

async fn revoking_an_unknown_or_foreign_key_is_404(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (other_owner, other_merchant) = app.owner().await;
    let (foreign, foreign_key) = app.api_key(&other_owner, &other_merchant).await;
    let reply = app.delete(&format!("/v1/merchants/{merchant}/api-keys/{foreign}"), Some(&owner)).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "resource_missing");
    assert_eq!(app.get("/v1/events", Some(&foreign_key)).await.status, StatusCode::OK, "the foreign key still works");
    let reply =
        app.delete(&format!("/v1/merchants/{merchant}/api-keys/key_000000000000000000000000"), Some(&owner)).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "resource_missing");
    let reply = app.delete(&format!("/v1/merchants/{merchant}/api-keys/not-a-key"), Some(&owner)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
}

async fn malformed_and_unknown_api_keys_are_401(app: TestApp) {
    let (token, _) = app.owner().await;
    let unknown = format!("sk_test_{}", "A".repeat(43));
    for (credential, code) in [
        (None, "missing_credentials"),
        (Some("sk_test_short"), "invalid_api_key"),
        (Some(unknown.as_str()), "invalid_api_key"),
    ] {
        assert_error(&app.get("/v1/events", credential).await, StatusCode::UNAUTHORIZED, code);
    }
    // Creating an intent takes an API key only; a user token is the wrong kind of credential.
    let create = app.post("/v1/payment-intents", Some(&token), kassa_testkit::Api::intent_body(1000, false)).await;
    assert_error(&create, StatusCode::UNAUTHORIZED, "invalid_api_key");
    // Reads take a user token too (with Kassa-Merchant), so a header that is neither is an invalid token.
    let basic = app.send(app.http.get(app.url("/v1/events")).header("authorization", "Basic dXNlcjpwYXNz")).await;
    assert_error(&basic, StatusCode::UNAUTHORIZED, "invalid_token");
}
